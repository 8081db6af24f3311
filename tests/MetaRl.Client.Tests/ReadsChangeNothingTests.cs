using MetaRl.Testing;
using static MetaRl.Client.Tests.ConsoleRuns;

namespace MetaRl.Client.Tests;

/// <summary>
/// A read never writes: every read command on a resting local folder leaves every file and folder
/// of it — blobs, grain state, the local store's sidecar records and lock files — as it was, bytes
/// and modification times; and a sweep the console refuses leaves the folder as it was.
/// </summary>
[TestClass]
[DoNotParallelize]
public sealed class ReadsChangeNothingTests
{
    private const string Spec = """
        { "name": "calm", "family": "Sine", "learner": "maml", "methods": ["baseline", "roml"], "alpha": [0.2], "seeds": 1,
          "budget": { "iterations": 3 }, "evaluation": { "testTasks": 10, "validationTasks": 4, "validateEvery": 0 },
          "run": { "metaBatch": 5, "supervised": { "hidden": [8], "innerSteps": 1 }, "cem": { "batchSize": 10 } } }
        """;

    private static async Task<(string Dir, string Data)> SweptFolderAsync()
    {
        var dir = Directory.CreateTempSubdirectory("metarl-calm-").FullName;
        var data = Path.Combine(dir, "data");
        var spec = Path.Combine(dir, "spec.json");
        File.WriteAllText(spec, Spec);
        var (code, _, err) = await InProcessAsync("sweep", "run", spec, "--data", data, "--report-dir", Path.Combine(dir, "reports"));
        Assert.AreEqual(0, code, err);
        return (dir, data);
    }

    /// <summary>Every command that only reads, over <paramref name="data"/> (each starts and stops a query silo of its own).</summary>
    private static async Task ReadEverythingAsync(string dir, string data)
    {
        var task = Path.GetFileName(Directory.GetDirectories(Path.Combine(data, "grainstate", "task"))[0]);
        string[][] reads =
        [
            ["sweep", "list"], ["sweep", "list", "--json"], ["sweep", "show", "calm"], ["sweep", "show", "calm", "--json"],
            ["sweep", "report", "calm", "--report-dir", Path.Combine(dir, "reports-again")], ["sweep", "watch", "calm", "--interval", "0.2"],
            ["run", "show", "calm-roml-a0.2-s1"], ["run", "tail", "calm-roml-a0.2-s1"], ["run", "tail", "calm-baseline-s1", "--json", "--last", "1"],
            ["grain", "show", "sweep/calm"], ["grain", "show", "run/calm-baseline-s1"], ["grain", "show", $"task/{task}"],
            ["grain", "show", "cem/calm-roml-a0.2-s1", "--history"], ["silos"],
        ];
        foreach (var args in reads)
        {
            var (code, _, err) = await InProcessAsync([.. args, "--data", data]);
            Assert.AreEqual(0, code, $"{string.Join(' ', args)}: {err}");
        }
    }

    [TestMethod]
    [Timeout(600_000, CooperativeCancellation = true)]
    public async Task Every_read_command_leaves_every_file_and_folder_of_the_data_folder_as_it_was()
    {
        var (dir, data) = await SweptFolderAsync();
        // Byte-identical rewrites behind the store's back (a restore, a copy): the records no longer describe the files' times.
        await Task.Delay(20);
        foreach (var file in new[] { Path.Combine(data, "metarl", "runs", "calm-roml-a0.2-s1", "metrics"), Path.Combine(data, "grainstate", "sweep", "calm", "sweep") })
            File.WriteAllBytes(file, File.ReadAllBytes(file));
        var before = FolderSnapshot.Take(data);
        await ReadEverythingAsync(dir, data);
        Assert.AreEqual("", FolderSnapshot.Difference(before, FolderSnapshot.Take(data)), "the reads changed the data folder");

        // Without any of the store's sidecars (records, lock files): the reads create none.
        Directory.Delete(Path.Combine(data, "metarl", ".metarl-meta"), recursive: true);
        Directory.Delete(Path.Combine(data, "grainstate", ".metarl-meta"), recursive: true);
        before = FolderSnapshot.Take(data);
        await ReadEverythingAsync(dir, data);
        Assert.AreEqual("", FolderSnapshot.Difference(before, FolderSnapshot.Take(data)), "the reads created sidecars");
    }

    [TestMethod]
    [Timeout(600_000, CooperativeCancellation = true)]
    public async Task A_sweep_run_refused_for_want_of_a_GPU_leaves_the_folder_as_it_was()
    {
        var (dir, data) = await SweptFolderAsync();
        var gpu = Path.Combine(dir, "gpu.json");
        File.WriteAllText(gpu, """{"name":"gpu","family":"Sine","learner":"maml","methods":["baseline"],"seeds":1,"budget":{"iterations":4},"run":{"device":"cuda"}}""");

        var before = FolderSnapshot.Take(data);
        var (code, _, err) = await InProcessAsync("sweep", "run", gpu, "--data", data);
        Assert.AreEqual(2, code, err);
        StringAssert.Contains(err, "no silo of the cluster has a GPU");
        Assert.AreEqual("", FolderSnapshot.Difference(before, FolderSnapshot.Take(data)), "the refused sweep left something behind");

        var fresh = Path.Combine(dir, "fresh");
        (code, _, err) = await InProcessAsync("sweep", "run", gpu, "--data", fresh);
        Assert.AreEqual(2, code, err);
        Assert.IsFalse(Directory.Exists(fresh), "a refused sweep creates no data folder");
    }
}
