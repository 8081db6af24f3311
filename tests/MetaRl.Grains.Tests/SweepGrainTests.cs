using MetaRl.Grains.Interfaces;
using MetaRl.Grains.Interfaces.State;

namespace MetaRl.Grains.Tests;

[TestClass]
public sealed class SweepGrainTests
{
    [TestMethod]
    [Timeout(240_000, CooperativeCancellation = true)]
    public async Task A_sweep_expands_into_methods_by_alpha_by_seeds_and_every_run_completes_once()
    {
        await using var silos = await TestSilos.StartAsync();
        var state = await silos.SubmitAsync(TestSilos.TinySine("grid", seeds: 2, methods: ["baseline", "cvar-ml", "roml"], alpha: [0.05, 0.2]));
        Assert.AreEqual(2 + 2 * 2 * 2, state.Runs.Count, "one baseline per seed, and each robust method at each α");
        CollectionAssert.Contains(state.Runs.Select(r => r.RunId).ToList(), "grid-baseline-s1");
        CollectionAssert.Contains(state.Runs.Select(r => r.RunId).ToList(), "grid-roml-a0.05-s2");
        var done = await silos.WaitForSweepAsync("grid");
        Assert.AreEqual(state.Runs.Count, done.Completed);
        foreach (var r in state.Runs)
        {
            var view = (await silos.Run(r.RunId).GetAsync())!;
            Assert.AreEqual(RunStatus.Completed, view.State.Status);
            Assert.AreEqual(1, view.State.Activations, $"{r.RunId} trained once");
            var summary = done.Ended[r.RunId].Summary!;
            Assert.AreEqual((view.State.Summary!.Mean, view.State.Summary.Cvar, view.State.Summary.BestIteration), (summary.Mean, summary.Cvar, summary.BestIteration), "the sweep holds the run's summary");
        }
        var listed = await silos.Grains.GetGrain<ISweepCatalogGrain>(ISweepCatalogGrain.Key).ListAsync();
        Assert.IsTrue(listed.Single(s => s.Id == "grid") is { Finished: true, Completed: 10 });
    }

    [TestMethod]
    [Timeout(240_000, CooperativeCancellation = true)]
    public async Task Submitting_the_same_spec_again_changes_no_stored_state()
    {
        await using var silos = await TestSilos.StartAsync();
        var first = await silos.SubmitAsync(TestSilos.TinySine("again"));
        await silos.WaitForSweepAsync("again");
        var etags = await EtagsAsync(silos);
        var again = await silos.Grains.GetGrain<ISweepGrain>("again").SubmitAsync(TestSilos.TinySine("again"));
        Assert.AreEqual(SubmitOutcome.Unchanged, again.Outcome);
        Assert.AreEqual(first.SpecHash, again.Sweep!.SpecHash);
        CollectionAssert.AreEquivalent(etags, await EtagsAsync(silos), "neither grain state nor blobs were rewritten");
    }

    [TestMethod]
    [Timeout(240_000, CooperativeCancellation = true)]
    public async Task A_different_spec_under_an_existing_name_is_refused()
    {
        await using var silos = await TestSilos.StartAsync();
        await silos.SubmitAsync(TestSilos.TinySine("taken"));
        var result = await silos.Grains.GetGrain<ISweepGrain>("taken").SubmitAsync(TestSilos.TinySine("taken", seeds: 5));
        Assert.AreEqual(SubmitOutcome.Conflict, result.Outcome);
        StringAssert.Contains(result.Problems.Single(), "already exists with a different spec");
        Assert.AreEqual(4, (await silos.Grains.GetGrain<ISweepGrain>("taken").GetAsync())!.Runs.Count, "the stored sweep is the first one");
    }

    [TestMethod]
    [Timeout(240_000, CooperativeCancellation = true)]
    public async Task A_bad_spec_names_every_problem_and_writes_nothing()
    {
        await using var silos = await TestSilos.StartAsync();
        var bad = TestSilos.TinySine("bad") with { Methods = ["baseline", "bogus"], Alpha = [0.05, 1.5] };
        bad = bad with { Run = System.Text.Json.JsonDocument.Parse("""{"metaBatch": 5, "cem": {"batchSize": 7}}""").RootElement };
        var result = await silos.Grains.GetGrain<ISweepGrain>("bad").SubmitAsync(bad);
        Assert.AreEqual(SubmitOutcome.Invalid, result.Outcome);
        Assert.IsTrue(result.Problems.Any(p => p.Contains("sweep.methods[1] 'bogus'") && p.Contains("cvar-ml")), string.Join("\n", result.Problems));
        Assert.IsTrue(result.Problems.Any(p => p.Contains("sweep.alpha[1] 1.5") && p.Contains("0.00001 to 1")), string.Join("\n", result.Problems));
        Assert.IsNull(await silos.Grains.GetGrain<ISweepGrain>("bad").GetAsync());
        Assert.IsFalse(Directory.Exists(Path.Combine(silos.Data, "grainstate")) && Directory.EnumerateFiles(Path.Combine(silos.Data, "grainstate"), "*", SearchOption.AllDirectories).Any(),
            "no grain state was written");
    }

    [TestMethod]
    [Timeout(240_000, CooperativeCancellation = true)]
    public async Task A_sweep_that_needs_a_gpu_is_refused_by_a_cluster_without_one_and_nothing_is_written()
    {
        await using var silos = await TestSilos.StartAsync();
        var result = await silos.Grains.GetGrain<ISweepGrain>("gpu").SubmitAsync(TestSilos.TinySine("gpu", gpu: true));
        Assert.AreEqual(SubmitOutcome.Unplaceable, result.Outcome);
        StringAssert.Contains(result.Problems.Single(), "no silo of the cluster has a GPU");
        Assert.IsNull(await silos.Grains.GetGrain<ISweepGrain>("gpu").GetAsync());
        Assert.IsNull(await silos.Run("gpu-baseline-s1").GetAsync(), "no run was created");
    }

    private static async Task<Dictionary<string, string>> EtagsAsync(TestSilos silos)
    {
        var etags = new Dictionary<string, string>();
        foreach (var container in new[] { "metarl", "grainstate" })
        {
            var store = new Storage.FileBlobStore(silos.Data, container);
            await foreach (var item in store.ListAsync("", CancellationToken.None)) etags[$"{container}/{item.Path}"] = item.ETag;
        }
        return etags;
    }
}
