using MetaRl.Grains.Execution;
using MetaRl.Storage;
using MetaRl.Testing;

namespace MetaRl.Integration.Tests;

[TestClass]
[DoNotParallelize]
public sealed class EmbeddedSweepTests
{
    [TestMethod]
    [Timeout(600_000, CooperativeCancellation = true)]
    public async Task A_sweep_run_interrupted_by_sigint_and_killed_by_sigkill_resumes_to_the_uninterrupted_numbers()
    {
        // Runs long enough (seconds each) that the signals land mid-training; on a machine so loaded that
        // the sweep ended before SIGINT reached it, the same again with runs twice as long (what is
        // tested is the resume, not the machine's speed).
        for (int iterations = 3000; ; iterations *= 2)
        {
            if (await InterruptKillAndResumeAsync(iterations)) return;
            Assert.IsTrue(iterations < 24_000, "the sweep kept ending before SIGINT reached it");
            Console.WriteLine($"the {iterations}-iteration sweep ended before SIGINT reached it; again with longer runs");
        }
    }

    /// <summary>False when the sweep completed before SIGINT could stop it (nothing was tested).</summary>
    private static async Task<bool> InterruptKillAndResumeAsync(int iterations)
    {
        var folder = Sweeps.TempFolder("embedded");
        var data = Path.Combine(folder, "data");
        var spec = Sweeps.Sine("embedded", iterations: iterations, seeds: 2, methods: ["baseline", "roml"]);
        var specPath = Sweeps.Write(spec, folder);
        string[] args = ["sweep", "run", specPath, "--data", data, "--report-dir", Path.Combine(folder, "reports"), "--checkpoint-seconds", "1"];
        var blobs = new FileBlobStore(data, "metarl");

        // SIGINT once some iterations are committed: every run checkpoints, the command ends with 130.
        using (var first = CliProcess.Start(folder, args))
        {
            if (!await WaitForCommittedLinesAsync(blobs, "embedded-baseline-s1", 50, first)) return false;
            first.Interrupt();
            Assert.IsTrue(first.WaitForExit(TimeSpan.FromSeconds(60)), "SIGINT stops the sweep after a checkpoint");
            if (first.ExitCode == 0 && first.Stdout.Contains("4/4 runs complete", StringComparison.Ordinal)) return false;
            Assert.AreEqual(130, first.ExitCode, first.Stdout + first.Stderr);
            StringAssert.Contains(first.Stdout, "run the same command again to continue");
        }
        // Again, killed outright this time, after more progress.
        using (var second = CliProcess.Start(folder, args))
        {
            if (!await WaitForCommittedLinesAsync(blobs, "embedded-baseline-s1", 300, second)) return false;
            second.Kill();
        }
        // And to the end.
        var (code, output, error) = CliProcess.Run(folder, args, TimeSpan.FromMinutes(5));
        Assert.AreEqual(0, code, output + error);
        StringAssert.Contains(output, "4/4 runs complete");
        StringAssert.Contains(output, "report: ");

        foreach (var (runId, reference) in Sweeps.References(spec))
        {
            var lines = System.Text.Encoding.UTF8.GetString((await blobs.ReadFromAsync(RunBlobs.Metrics(runId), 0, CancellationToken.None))!).Split('\n', StringSplitOptions.RemoveEmptyEntries);
            CollectionAssert.AreEqual(reference.Lines, lines, $"{runId}: every iteration once, as uninterrupted");
            var model = Learning.Common.TensorArchive.FromBytes((await blobs.ReadAsync(RunBlobs.Model(runId), CancellationToken.None))!.Content);
            CollectionAssert.AreEqual(reference.Parameters, model.GetBytes("final"), $"{runId}: final parameters");
        }
        return true;
    }

    [TestMethod]
    [Timeout(300_000, CooperativeCancellation = true)]
    public async Task A_second_console_on_the_same_folder_asks_the_running_embedded_silo_which_serves_the_dashboard()
    {
        var folder = Sweeps.TempFolder("second");
        var data = Path.Combine(folder, "data");
        var spec = Sweeps.Sine("second", iterations: 20_000, seeds: 1, methods: ["baseline"]); // interrupted long before its end
        int port = FreePort.Pick();
        using var sweep = CliProcess.Start(folder, ["sweep", "run", Sweeps.Write(spec, folder), "--data", data, "--checkpoint-seconds", "1", "--dashboard-port", port.ToString()]);
        await WaitForCommittedLinesAsync(new FileBlobStore(data, "metarl"), "second-baseline-s1", 20, sweep);
        StringAssert.Contains(sweep.Stdout, $"Orleans Dashboard: http://127.0.0.1:{port}/");
        using (var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) })
            StringAssert.Contains(await http.GetStringAsync($"http://127.0.0.1:{port}/"), "Orleans Dashboard");
        var show = CliProcess.Run(folder, ["run", "show", "second-baseline-s1", "--data", data, "--json"], TimeSpan.FromSeconds(60));
        Assert.AreEqual(0, show.Code, show.Err);
        var live = System.Text.Json.JsonDocument.Parse(show.Out).RootElement.GetProperty("live");
        Assert.AreEqual("training", live.GetProperty("activity").GetString(), "the answer comes from the activation that trains it");
        var silos = CliProcess.Run(folder, ["silos", "--data", data], TimeSpan.FromSeconds(60));
        Assert.AreEqual(0, silos.Code, silos.Err);
        StringAssert.Contains(silos.Out, "second-baseline-s1", "the one silo trains the run");

        // Another sweep submitted into the same folder is stored, but `sweep run second` trains only its own runs.
        var other = Sweeps.Sine("other", iterations: 50, seeds: 1, methods: ["baseline"]);
        var submitted = CliProcess.Run(folder, ["sweep", "submit", Sweeps.Write(other, folder), "--data", data], TimeSpan.FromSeconds(60));
        Assert.AreEqual(0, submitted.Code, $"{submitted.Err}\n(sweep run exited: {sweep.HasExited})\n{sweep.Stdout}\n{sweep.Stderr}");
        await Task.Delay(3000);
        var otherRun = CliProcess.Run(folder, ["run", "show", "other-baseline-s1", "--data", data, "--json"], TimeSpan.FromSeconds(60));
        Assert.AreEqual(0, otherRun.Code, $"{otherRun.Err}\n(sweep run exited: {sweep.HasExited})\n{sweep.Stdout}\n{sweep.Stderr}");
        var otherView = System.Text.Json.JsonDocument.Parse(otherRun.Out).RootElement;
        Assert.AreNotEqual("training", otherView.GetProperty("live").GetProperty("activity").GetString(), "the other sweep's run does not train here");
        Assert.AreEqual(0, otherView.GetProperty("live").GetProperty("iteration").GetInt32());

        // `sweep run other` meanwhile waits for the folder's silo (it used to wait forever on a silo that
        // never trains its runs), and trains its sweep itself once `sweep run second` ended.
        using var waiting = CliProcess.Start(folder, ["sweep", "run", Path.Combine(folder, "other.json"), "--data", data, "--report-dir", Path.Combine(folder, "reports")]);
        var until = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (!waiting.Stdout.Contains("trains that sweep only; training here once it ends", StringComparison.Ordinal))
        {
            Assert.IsTrue(DateTime.UtcNow < until && !waiting.HasExited, waiting.Stdout + waiting.Stderr);
            await Task.Delay(100);
        }
        sweep.Interrupt();
        // Its runs finish their iteration and checkpoint, then its silo stops (slowly on a loaded machine).
        Assert.IsTrue(sweep.WaitForExit(TimeSpan.FromMinutes(3)), $"SIGINT stops `sweep run second`:\n{sweep.Stdout}\n{sweep.Stderr}");
        Assert.IsTrue(waiting.WaitForExit(TimeSpan.FromSeconds(120)), waiting.Stdout + waiting.Stderr);
        Assert.AreEqual(0, waiting.ExitCode, waiting.Stdout + waiting.Stderr);
        StringAssert.Contains(waiting.Stdout, "1/1 runs complete");
    }

    [TestMethod]
    [Timeout(300_000, CooperativeCancellation = true)]
    public void A_sweep_with_a_run_that_fails_ends_and_exits_non_zero_naming_it()
    {
        var folder = Sweeps.TempFolder("failing");
        var spec = Sweeps.Sine("failing", iterations: 20, seeds: 1, methods: ["baseline", "roml"]) with
        {
            Run = System.Text.Json.JsonDocument.Parse("""{"metaBatch": 10, "device": "cuda", "supervised": {"hidden": [32, 32], "innerSteps": 3}}""").RootElement,
        };
        // The embedded silo claims a GPU (so the sweep is accepted); the CPU-only libtorch then fails the runs.
        var (code, output, error) = CliProcess.Run(folder, ["sweep", "run", Sweeps.Write(spec, folder), "--data", Path.Combine(folder, "data")], TimeSpan.FromMinutes(3),
            new Dictionary<string, string> { ["METARL_SILO__GPUS"] = "1" });
        Assert.AreEqual(1, code, output + error);
        StringAssert.Contains(error, "run failing-baseline-s1 failed: ");
        StringAssert.Contains(error, "device 'cuda'");
        StringAssert.Contains(output, "0/2 runs complete");
    }

    [TestMethod]
    [Timeout(300_000, CooperativeCancellation = true)]
    public void A_silo_process_on_local_storage_serves_the_folder_to_consoles_and_a_second_one_is_refused()
    {
        var folder = Sweeps.TempFolder("localsilo");
        var data = Path.Combine(folder, "data");
        var settings = new Dictionary<string, string> { ["DATA"] = data, ["SILO__COREBUDGET"] = "2" };
        using var silo = SiloProcess.Start("local-a", folder, settings);
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (!silo.Output.Any(l => l.Contains("Silo started", StringComparison.Ordinal) || l.Contains("metarl-silo local-a:", StringComparison.Ordinal)) || !File.Exists(Path.Combine(data, "local-silo.json")))
        {
            Assert.IsTrue(DateTime.UtcNow < deadline && !silo.HasExited, silo.Tail());
            Thread.Sleep(100);
        }
        Thread.Sleep(2000); // the gateway is listening once the silo has started
        using (var second = SiloProcess.Start("local-b", folder, settings))
        {
            Assert.IsTrue(second.WaitForExit(TimeSpan.FromSeconds(60)));
            Assert.AreEqual(2, second.ExitCode, second.Tail());
            StringAssert.Contains(second.Tail(), "is served by another silo (local-a");
        }
        var spec = Sweeps.Sine("localsilo", iterations: 30, seeds: 1, methods: ["baseline", "roml"]);
        var (code, output, error) = CliProcess.Run(folder, ["sweep", "run", Sweeps.Write(spec, folder), "--data", data], TimeSpan.FromMinutes(3));
        Assert.AreEqual(0, code, output + error);
        StringAssert.Contains(output, "training on a silo");
        StringAssert.Contains(output, "2/2 runs complete");
        var silos = CliProcess.Run(folder, ["silos", "--data", data], TimeSpan.FromSeconds(60));
        StringAssert.Contains(silos.Out, "local-a");
    }

    [TestMethod]
    [Timeout(120_000, CooperativeCancellation = true)]
    public async Task A_silo_serves_the_orleans_dashboard_on_loopback_when_asked()
    {
        var folder = Sweeps.TempFolder("dashboard");
        int port = FreePort.Pick();
        using var silo = SiloProcess.Start("dashboard", folder, new Dictionary<string, string> { ["DATA"] = Path.Combine(folder, "data") }, ["--dashboard-port", port.ToString()]);
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (true)
        {
            try
            {
                var page = await http.GetStringAsync($"http://127.0.0.1:{port}/");
                StringAssert.Contains(page, "Orleans Dashboard");
                break;
            }
            catch (HttpRequestException) when (DateTime.UtcNow < deadline && !silo.HasExited)
            {
                await Task.Delay(250);
            }
        }
        var bad = SiloProcess.Start("bad-dashboard", folder, new Dictionary<string, string> { ["DATA"] = Path.Combine(folder, "other") }, ["--dashboard-port", "70000"]);
        Assert.IsTrue(bad.WaitForExit(TimeSpan.FromSeconds(30)));
        Assert.AreEqual(2, bad.ExitCode);
        StringAssert.Contains(bad.Tail(), "--dashboard-port '70000' is invalid");
        bad.Dispose();
    }

    /// <summary>True once the run committed <paramref name="lines"/> lines; false when the sweep ran to its end first (exit 0).</summary>
    private static async Task<bool> WaitForCommittedLinesAsync(IBlobStore blobs, string runId, int lines, CliProcess process)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(2);
        while (true)
        {
            var bytes = await blobs.ReadFromAsync(RunBlobs.Metrics(runId), 0, CancellationToken.None);
            if (bytes is not null && bytes.Count(b => b == (byte)'\n') >= lines) return true;
            if (process.HasExited && process.ExitCode == 0) return false;
            if (process.HasExited) Assert.Fail($"metarl ended early ({process.ExitCode}):\n{process.Stdout}\n{process.Stderr}");
            if (DateTime.UtcNow > deadline) Assert.Fail($"{runId} did not commit {lines} lines:\n{process.Stdout}\n{process.Stderr}");
            await Task.Delay(100);
        }
    }
}
