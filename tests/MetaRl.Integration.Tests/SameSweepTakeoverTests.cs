using MetaRl.Grains.Execution;
using MetaRl.Storage;
using MetaRl.Testing;

namespace MetaRl.Integration.Tests;

/// <summary>
/// `metarl sweep run` of the same spec twice (and thrice) on one data folder: the later one watches the
/// first one's embedded silo, and when that process ends — stopped with Ctrl-C, or done — takes the
/// folder over and goes on (trains what is left, reports), with the numbers of an uninterrupted run.
/// </summary>
[TestClass]
[DoNotParallelize]
public sealed class SameSweepTakeoverTests
{
    [TestMethod]
    [Timeout(900_000, CooperativeCancellation = true)]
    public async Task A_second_sweep_run_of_the_same_spec_takes_the_folder_over_when_the_first_ends()
    {
        // Each step waits for the previous one's output; on a machine so loaded that a sweep ended before
        // the next process got that far, the same again with runs twice as long.
        for (int iterations = 4000; ; iterations *= 2)
        {
            if (await TakeOverTwiceAsync(iterations)) return;
            Assert.IsTrue(iterations < 32_000, "the sweep kept ending before the next process got going");
            Console.WriteLine($"the {iterations}-iteration sweep ended too early on this machine; again with longer runs");
        }
    }

    /// <summary>False when a sweep ran to its end before the step meant to interrupt or watch it could (nothing was tested).</summary>
    private static async Task<bool> TakeOverTwiceAsync(int iterations)
    {
        var folder = Sweeps.TempFolder("takeover");
        var data = Path.Combine(folder, "data");
        var spec = Sweeps.Sine("takeover", iterations: iterations, seeds: 1, methods: ["baseline", "roml"]);
        string[] args = ["sweep", "run", Sweeps.Write(spec, folder), "--data", data, "--report-dir", Path.Combine(folder, "reports"), "--checkpoint-seconds", "1"];
        var blobs = new FileBlobStore(data, "metarl");

        using var first = CliProcess.Start(folder, args);
        if (!await WaitForCommittedLinesAsync(blobs, "takeover-baseline-s1", 20, first)) return false;
        using var second = CliProcess.Start(folder, args);
        if (!await WaitForOutputAsync(second, "training on a silo of another process", first)) return false;

        // Ctrl-C on the first: it checkpoints and ends; the second takes the folder over and trains.
        first.Interrupt();
        Assert.IsTrue(first.WaitForExit(TimeSpan.FromMinutes(2)), first.Stdout + first.Stderr);
        if (first.ExitCode == 0 && first.Stdout.Contains("2/2 runs complete", StringComparison.Ordinal)) return false;
        Assert.AreEqual(130, first.ExitCode, first.Stdout + first.Stderr);
        await WaitForOutputAsync(second, "training in this process", first);
        StringAssert.Contains(second.Stdout, "stopped; taking the folder over");

        // A third one watches the second, which now ends by itself: the third takes over and reports.
        using var third = CliProcess.Start(folder, args);
        if (!await WaitForOutputAsync(third, "training on a silo of another process", second)) return false;
        Assert.IsTrue(second.WaitForExit(TimeSpan.FromMinutes(10)), second.Stdout + second.Stderr);
        Assert.AreEqual(0, second.ExitCode, second.Stdout + second.Stderr);
        StringAssert.Contains(second.Stdout, "2/2 runs complete");
        Assert.IsTrue(third.WaitForExit(TimeSpan.FromMinutes(5)), third.Stdout + third.Stderr);
        Assert.AreEqual(0, third.ExitCode, third.Stdout + third.Stderr);
        StringAssert.Contains(third.Stdout, "2/2 runs complete");
        StringAssert.Contains(third.Stdout, "report: ");

        foreach (var (runId, reference) in Sweeps.References(spec))
        {
            var lines = System.Text.Encoding.UTF8.GetString((await blobs.ReadFromAsync(RunBlobs.Metrics(runId), 0, CancellationToken.None))!).Split('\n', StringSplitOptions.RemoveEmptyEntries);
            CollectionAssert.AreEqual(reference.Lines, lines, $"{runId}: every iteration once, as uninterrupted");
        }
        return true;
    }

    /// <summary>
    /// Waits until the process printed the text: true. False when the one it depends on ran its sweep to the
    /// end first (exit 0: the race was lost, not the test); fails when either ended otherwise.
    /// </summary>
    private static async Task<bool> WaitForOutputAsync(CliProcess process, string text, CliProcess other)
    {
        while (!process.Stdout.Contains(text, StringComparison.Ordinal))
        {
            if (other.HasExited && other.ExitCode == 0 && other.Stdout.Contains("2/2 runs complete", StringComparison.Ordinal)) return false;
            if (process.HasExited) Assert.Fail($"metarl ended ({process.ExitCode}) before printing '{text}':\n{process.Stdout}\n{process.Stderr}\n--- the other:\n{other.Stdout}\n{other.Stderr}");
            await Task.Delay(100);
        }
        return true;
    }

    /// <summary>Waits until the run committed this many iterations (progress, not a clock); fails when the process ended first.</summary>
    private static async Task<bool> WaitForCommittedLinesAsync(IBlobStore blobs, string runId, int lines, CliProcess process)
    {
        while (true)
        {
            var bytes = await blobs.ReadFromAsync(RunBlobs.Metrics(runId), 0, CancellationToken.None);
            if (bytes is not null && bytes.Count(b => b == (byte)'\n') >= lines) return true;
            if (process.HasExited && process.ExitCode == 0) return false;
            if (process.HasExited) Assert.Fail($"metarl ended early ({process.ExitCode}):\n{process.Stdout}\n{process.Stderr}");
            await Task.Delay(100);
        }
    }
}
