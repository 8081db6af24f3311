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
        var folder = Sweeps.TempFolder("takeover");
        var data = Path.Combine(folder, "data");
        var spec = Sweeps.Sine("takeover", iterations: 4000, seeds: 1, methods: ["baseline", "roml"]);
        string[] args = ["sweep", "run", Sweeps.Write(spec, folder), "--data", data, "--report-dir", Path.Combine(folder, "reports"), "--checkpoint-seconds", "1"];
        var blobs = new FileBlobStore(data, "metarl");

        using var first = CliProcess.Start(folder, args);
        await WaitForCommittedLinesAsync(blobs, "takeover-baseline-s1", 20, first);
        using var second = CliProcess.Start(folder, args);
        await WaitForOutputAsync(second, "training on a silo of another process", first);

        // Ctrl-C on the first: it checkpoints and ends; the second takes the folder over and trains.
        first.Interrupt();
        Assert.IsTrue(first.WaitForExit(TimeSpan.FromMinutes(2)), first.Stdout + first.Stderr);
        Assert.AreEqual(130, first.ExitCode, first.Stdout + first.Stderr);
        await WaitForOutputAsync(second, "training in this process", first);
        StringAssert.Contains(second.Stdout, "stopped; taking the folder over");

        // A third one watches the second, which now ends by itself: the third takes over and reports.
        using var third = CliProcess.Start(folder, args);
        await WaitForOutputAsync(third, "training on a silo of another process", second);
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
    }

    /// <summary>Waits until the process printed the text; fails when it (or the one it depends on) ended first.</summary>
    private static async Task WaitForOutputAsync(CliProcess process, string text, CliProcess other)
    {
        while (!process.Stdout.Contains(text, StringComparison.Ordinal))
        {
            if (process.HasExited) Assert.Fail($"metarl ended ({process.ExitCode}) before printing '{text}':\n{process.Stdout}\n{process.Stderr}\n--- the other:\n{other.Stdout}\n{other.Stderr}");
            await Task.Delay(100);
        }
    }

    /// <summary>Waits until the run committed this many iterations (progress, not a clock); fails when the process ended first.</summary>
    private static async Task WaitForCommittedLinesAsync(IBlobStore blobs, string runId, int lines, CliProcess process)
    {
        while (true)
        {
            var bytes = await blobs.ReadFromAsync(RunBlobs.Metrics(runId), 0, CancellationToken.None);
            if (bytes is not null && bytes.Count(b => b == (byte)'\n') >= lines) return;
            if (process.HasExited) Assert.Fail($"metarl ended early ({process.ExitCode}):\n{process.Stdout}\n{process.Stderr}");
            await Task.Delay(100);
        }
    }
}
