using MetaRl.Grains.Interfaces;
using MetaRl.Grains.Interfaces.State;
using MetaRl.Storage;

namespace MetaRl.Grains.Tests;

[TestClass]
public sealed class SweepGrainTests
{
    [TestMethod]
    public async Task A_sweep_expands_into_methods_by_alpha_by_seeds_with_one_baseline_per_seed()
    {
        var (store, _) = TestStores.Local();
        var spec = TestStores.TinySine("grid", seeds: 3, methods: ["baseline", "cvar-ml", "roml"], alpha: [0.05, 0.2]);
        var state = await new GrainFactory(store).Sweep("grid").SubmitAsync(spec, CancellationToken.None);
        Assert.AreEqual(3 + 2 * 3 * 2, state.Runs.Count);
        CollectionAssert.Contains(state.Runs.Select(r => r.RunId).ToList(), "grid-baseline-s1");
        CollectionAssert.Contains(state.Runs.Select(r => r.RunId).ToList(), "grid-roml-a0.05-s3");
        foreach (var r in state.Runs)
        {
            var run = await store.ReadAsync<RunState>(StoragePaths.Run(r.RunId), CancellationToken.None);
            Assert.IsNotNull(run);
            Assert.AreEqual(RunStatus.Pending, run.Value.Status);
            Assert.IsNotNull(await store.GetPropertiesAsync(StoragePaths.RunnableMarker(r.RunId, false), CancellationToken.None), $"{r.RunId} is dispatched");
        }
    }

    [TestMethod]
    public async Task Submitting_the_same_spec_again_changes_nothing()
    {
        var (store, _) = TestStores.Local();
        var grain = new GrainFactory(store).Sweep("again");
        var first = await grain.SubmitAsync(TestStores.TinySine("again"), CancellationToken.None);
        var etags = new Dictionary<string, string>();
        await foreach (var item in store.ListAsync("", CancellationToken.None)) etags[item.Path] = item.ETag;
        var second = await grain.SubmitAsync(TestStores.TinySine("again"), CancellationToken.None);
        Assert.AreEqual(first.SpecHash, second.SpecHash);
        await foreach (var item in store.ListAsync("", CancellationToken.None)) Assert.AreEqual(etags[item.Path], item.ETag, item.Path);
    }

    [TestMethod]
    public async Task A_different_spec_under_an_existing_name_is_refused()
    {
        var (store, _) = TestStores.Local();
        var grain = new GrainFactory(store).Sweep("taken");
        await grain.SubmitAsync(TestStores.TinySine("taken"), CancellationToken.None);
        await Assert.ThrowsExactlyAsync<SweepConflictException>(() => grain.SubmitAsync(TestStores.TinySine("taken", seeds: 5), CancellationToken.None));
    }

    [TestMethod]
    public async Task A_bad_spec_names_every_problem_and_writes_nothing()
    {
        var (store, _) = TestStores.Local();
        var bad = TestStores.TinySine("bad") with { Methods = ["baseline", "bogus"], Alpha = [0.05, 1.5], Family = "Sine" };
        bad = bad with { Run = System.Text.Json.JsonDocument.Parse("""{"metaBatch": 5, "cem": {"batchSize": 7}}""").RootElement };
        var e = await Assert.ThrowsExactlyAsync<SpecException>(() => new GrainFactory(store).Sweep("bad").SubmitAsync(bad, CancellationToken.None));
        Assert.IsTrue(e.Problems.Any(p => p.Contains("sweep.methods[1] 'bogus'") && p.Contains("cvar-ml")));
        Assert.IsTrue(e.Problems.Any(p => p.Contains("sweep.alpha[1] 1.5") && p.Contains("(0, 1]")));
        int blobs = 0;
        await foreach (var _ in store.ListAsync("", CancellationToken.None)) blobs++;
        Assert.AreEqual(0, blobs, "nothing written");

        var runProblem = TestStores.TinySine("bad2") with { Run = System.Text.Json.JsonDocument.Parse("""{"metaBatch": 5, "cem": {"batchSize": 7}}""").RootElement };
        var e2 = await Assert.ThrowsExactlyAsync<SpecException>(() => new GrainFactory(store).Sweep("bad2").SubmitAsync(runProblem, CancellationToken.None));
        Assert.IsTrue(e2.Problems.Any(p => p.Contains("cem.batchSize 7") && p.Contains("multiple of metaBatch")));
        var unknown = TestStores.TinySine("bad3") with { Run = System.Text.Json.JsonDocument.Parse("""{"metaBatchSize": 5}""").RootElement };
        var e3 = await Assert.ThrowsExactlyAsync<SpecException>(() => new GrainFactory(store).Sweep("bad3").SubmitAsync(unknown, CancellationToken.None));
        StringAssert.Contains(e3.Message, "metaBatchSize");
    }

    [TestMethod]
    public void Run_ids_are_deterministic()
    {
        Assert.AreEqual("s-roml-a0.05-s3", SweepExpansion.RunId("s", "roml", 0.05, 3));
        Assert.AreEqual("s-baseline-s3", SweepExpansion.RunId("s", "baseline", 0.05, 3));
        Assert.AreEqual("s-cvar-ml-a1-s1", SweepExpansion.RunId("s", "cvar-ml", 1.0, 1));
    }

    [TestMethod]
    public async Task Results_recorded_concurrently_are_all_kept()
    {
        var (store, _) = TestStores.Local();
        var grain = new GrainFactory(store).Sweep("agg");
        var state = await grain.SubmitAsync(TestStores.TinySine("agg", seeds: 4), CancellationToken.None);
        await Parallel.ForEachAsync(state.Runs, async (r, ct) =>
            await grain.RecordResultAsync(new RunSummary(r.RunId, r.Method, r.Alpha, r.Seed, 1, 1, 1, 1, 1, 1, 10, null), ct));
        var after = await grain.GetAsync(CancellationToken.None);
        Assert.AreEqual(state.Runs.Count, after!.Results.Count);
        Assert.IsTrue(after.Complete);
    }

    [TestMethod]
    public async Task A_run_that_finished_before_its_sweep_state_was_written_is_counted_when_the_submission_is_completed()
    {
        var (store, _) = TestStores.Local();
        var grain = new GrainFactory(store).Sweep("cut");
        var spec = TestStores.TinySine("cut", iterations: 3, seeds: 1, methods: ["baseline"]);
        var state = await grain.SubmitAsync(spec, CancellationToken.None);
        var worker = new Hosting.SiloWorker(store, new Hosting.SiloOptions { SiloId = "cut-silo", CoreBudget = 1, Gpus = 0, ExitWhenIdle = true, PollInterval = TimeSpan.FromMilliseconds(100) }, _ => { });
        await worker.RunAsync(new CancellationTokenSource(TimeSpan.FromMinutes(1)).Token);
        Assert.AreEqual(1, (await grain.GetAsync(CancellationToken.None))!.Results.Count);

        // As if the submission had been cut after the runs and before the sweep state: the run finished with no sweep to tell.
        Assert.IsTrue(await store.DeleteAsync(StoragePaths.Sweep("cut"), WriteCondition.None, null, CancellationToken.None));
        var completed = await grain.SubmitAsync(spec, CancellationToken.None);
        Assert.AreEqual(1, completed.Results.Count);
        Assert.IsTrue(completed.Complete);
        Assert.AreEqual(state.Runs[0].RunId, completed.Results.Keys.Single());
    }
}
