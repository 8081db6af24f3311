using MetaRl.Grains.Execution;
using MetaRl.Grains.Interfaces;
using MetaRl.Grains.Interfaces.State;
using MetaRl.Storage;

namespace MetaRl.Grains.Tests;

[TestClass]
public sealed class RunLifecycleTests
{
    [TestMethod]
    [Timeout(240_000, CooperativeCancellation = true)]
    public async Task A_run_trains_in_its_activation_to_the_result_of_an_uninterrupted_in_process_run()
    {
        await using var silos = await TestSilos.StartAsync();
        var sweep = await silos.SubmitAsync(TestSilos.TinySine("whole", iterations: 9, seeds: 1, methods: ["roml"]));
        var runId = sweep.Runs[0].RunId;
        await silos.WaitForSweepAsync("whole");
        await silos.AssertMatchesReferenceAsync(runId);
        var cem = await silos.Grains.GetGrain<ICemSamplerGrain>(runId).GetAsync();
        Assert.IsNotNull(cem);
        Assert.IsTrue(cem.Updates >= 4);
        Assert.AreEqual(cem.Updates, (await silos.Grains.GetGrain<ICemSamplerGrain>(runId).HistoryAsync()).Lines.Count, "every CEM update in the history once");
        var tail = await silos.Grains.GetGrain<ITaskGrain>($"{runId}.test-00000").GetAsync()
                   ?? (await Task.WhenAll(Enumerable.Range(0, 20).Select(i => silos.Grains.GetGrain<ITaskGrain>($"{runId}.test-{i:D5}").GetAsync()))).FirstOrDefault(t => t is not null);
        Assert.IsNotNull(tail, "the test tail is recorded as task grains");
        Assert.AreEqual(2, tail.Scores.Count, "scored by the selected and the final model");
    }

    [TestMethod]
    [Timeout(240_000, CooperativeCancellation = true)]
    public async Task Queries_are_answered_while_the_run_trains()
    {
        await using var silos = await TestSilos.StartAsync();
        var sweep = await silos.SubmitAsync(TestSilos.TinySine("live", iterations: 400, seeds: 1, methods: ["baseline"]));
        var runId = sweep.Runs[0].RunId;
        var seen = new HashSet<int>();
        var view = await silos.WaitForAsync(runId, v =>
        {
            if (v.Live.Activity == "training") seen.Add(v.Live.Iteration);
            return v.State.Ended || seen.Count >= 5;
        });
        Assert.IsTrue(seen.Count >= 5, $"the activation answered with fresh progress while training (saw iterations {string.Join(", ", seen.Order())})");
        Assert.IsFalse(view.State.Ended, "make the run longer: it ended before the queries were answered");
        Assert.IsTrue((await silos.Run(runId).MetricsAsync(0)).Lines.Count <= view.State.Iteration, "only committed iterations are reported as lines");
    }

    [TestMethod]
    [Timeout(240_000, CooperativeCancellation = true)]
    public async Task A_deactivated_run_checkpoints_lets_go_and_a_new_activation_finishes_it_identically()
    {
        await using var silos = await TestSilos.StartAsync();
        var sweep = await silos.SubmitAsync(TestSilos.TinySine("moved", iterations: 300, seeds: 1, methods: ["roml"]));
        var runId = sweep.Runs[0].RunId;
        await silos.WaitForAsync(runId, v => v.State.Iteration >= 6);
        await silos.Cluster.DeactivateAsync(silos.Run(runId));
        var stored = await StoredRunAsync(silos, runId);
        Assert.AreEqual("pending", stored.GetProperty("status").GetString(), "released after a checkpoint");
        Assert.IsTrue(stored.GetProperty("iteration").GetInt32() is >= 6 and < 300, "mid-run");
        await silos.Grains.GetGrain<ISweepGrain>("moved").WakeAsync(); // a new activation, which resumes
        await silos.WaitForSweepAsync("moved");
        await silos.AssertMatchesReferenceAsync(runId);
        Assert.AreEqual(2, (await silos.Run(runId).GetAsync())!.State.Activations);
    }

    /// <summary>The run's grain state as stored (not through an activation).</summary>
    private static async Task<System.Text.Json.JsonElement> StoredRunAsync(TestSilos silos, string runId)
    {
        var grainState = new FileBlobStore(silos.Data, "grainstate");
        await foreach (var item in grainState.ListAsync("", CancellationToken.None))
            if (item.Path.Contains("metapolicy", StringComparison.Ordinal) && item.Path.Contains(runId, StringComparison.Ordinal))
                return System.Text.Json.JsonDocument.Parse((await grainState.ReadAsync(item.Path, CancellationToken.None))!.Content).RootElement;
        throw new AssertFailedException($"no stored state for {runId}");
    }

    [TestMethod]
    [Timeout(240_000, CooperativeCancellation = true)]
    public async Task Pause_stops_after_a_checkpoint_and_resume_continues_to_the_same_result()
    {
        await using var silos = await TestSilos.StartAsync();
        var sweep = await silos.SubmitAsync(TestSilos.TinySine("paused", iterations: 300, seeds: 1, methods: ["baseline"]));
        var runId = sweep.Runs[0].RunId;
        await silos.WaitForAsync(runId, v => v.State.Iteration >= 4);
        await silos.Run(runId).RequestAsync(RunDesire.Pause);
        var paused = await silos.WaitForAsync(runId, v => v.State.Status == RunStatus.Paused);
        Assert.IsTrue(paused.State.Iteration < 300, "paused mid-run");
        Assert.AreEqual(paused.State.Iteration, (await silos.Run(runId).MetricsAsync(0)).Lines.Count, "stopped after a checkpoint that covers every iteration it did");
        await Task.Delay(300);
        Assert.AreEqual(paused.State.Iteration, (await silos.Run(runId).GetAsync())!.State.Iteration, "a paused run does not train");
        await silos.Run(runId).RequestAsync(RunDesire.Run);
        await silos.WaitForSweepAsync("paused");
        await silos.AssertMatchesReferenceAsync(runId);
    }

    [TestMethod]
    [Timeout(240_000, CooperativeCancellation = true)]
    public async Task A_cancelled_run_stops_for_good_and_the_sweep_counts_it_as_ended()
    {
        await using var silos = await TestSilos.StartAsync();
        var sweep = await silos.SubmitAsync(TestSilos.TinySine("cancelled", iterations: 300, seeds: 1, methods: ["baseline"]));
        var runId = sweep.Runs[0].RunId;
        await silos.WaitForAsync(runId, v => v.State.Iteration >= 2);
        await silos.Run(runId).RequestAsync(RunDesire.Cancel);
        var done = await silos.WaitForSweepAsync("cancelled");
        Assert.AreEqual(RunStatus.Cancelled, done.Ended[runId].Status);
        var again = await silos.Run(runId).RequestAsync(RunDesire.Run);
        Assert.AreEqual(RunStatus.Cancelled, again!.State.Status, "a cancelled run cannot be resumed");
        // The trainer reports the end before its last bookkeeping returns: wait for it to let go, then wake the sweep.
        var stopped = await silos.WaitForAsync(runId, v => v.Live.Activity == "idle");
        await silos.Grains.GetGrain<ISweepGrain>("cancelled").WakeAsync();
        await Task.Delay(500);
        var after = (await silos.Run(runId).GetAsync())!;
        Assert.AreEqual("idle", after.Live.Activity, "a wake does not start a cancelled run again");
        Assert.AreEqual(stopped.State.Iteration, after.State.Iteration);
    }

    [TestMethod]
    [Timeout(240_000, CooperativeCancellation = true)]
    public async Task An_activation_whose_state_write_is_refused_as_stale_stops_at_once_and_writes_nothing_more()
    {
        await using var silos = await TestSilos.StartAsync();
        var sweep = await silos.SubmitAsync(TestSilos.TinySine("stale", iterations: 300, seeds: 1, methods: ["baseline"]));
        var runId = sweep.Runs[0].RunId;
        await silos.WaitForAsync(runId, v => v.State.Iteration >= 4);

        // Another writer (a duplicate activation after a partition, say) rewrites the state: same content, new ETag.
        var grainState = new FileBlobStore(silos.Data, "grainstate");
        string path = "";
        await foreach (var item in grainState.ListAsync("", CancellationToken.None))
            if (item.Path.Contains("metapolicy", StringComparison.Ordinal) && item.Path.Contains("stale", StringComparison.Ordinal)) path = item.Path;
        var blob = (await grainState.ReadAsync(path, CancellationToken.None))!;
        await grainState.WriteAsync(path, blob.Content, WriteCondition.None, CancellationToken.None);

        var metrics = RunBlobs.Metrics(runId);
        long length = 0;
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (true)
        {
            // The activation's next checkpoint is refused; it stops and deactivates: the metrics stop growing.
            await Task.Delay(300);
            long now = (await silos.Blobs.GetPropertiesAsync(metrics, CancellationToken.None))!.Length;
            if (now == length) break;
            length = now;
            Assert.IsTrue(DateTime.UtcNow < deadline, "the stale activation kept writing");
        }
        var stored = (await grainState.ReadAsync(path, CancellationToken.None))!;
        CollectionAssert.AreEqual(blob.Content, stored.Content, "the stale activation did not write the state again");

        // A wake activates the run anew from the stored state; it finishes exactly.
        await silos.Grains.GetGrain<ISweepGrain>("stale").WakeAsync();
        await silos.WaitForSweepAsync("stale");
        await silos.AssertMatchesReferenceAsync(runId);
    }

    [TestMethod]
    [Timeout(240_000, CooperativeCancellation = true)]
    public async Task A_run_whose_learning_fails_is_recorded_failed_with_its_error_and_ends_the_sweep()
    {
        // A silo that says it has a GPU, and a libtorch without CUDA: the run's learning cannot start
        // (libtorch's own error, raised through TorchSharp). The silo, and another sweep's runs beside it, go on.
        await using var silos = await TestSilos.StartAsync(settings: _ => new() { ["Silo:Gpus"] = "1" });
        var spec = TestSilos.TinySine("broken", seeds: 1, methods: ["baseline"]) with
        {
            Run = System.Text.Json.JsonDocument.Parse("""{"metaBatch": 5, "device": "cuda", "supervised": {"hidden": [16, 16], "innerSteps": 2}}""").RootElement,
        };
        var healthy = await silos.SubmitAsync(TestSilos.TinySine("beside", seeds: 1, methods: ["roml"]));
        var sweep = await silos.SubmitAsync(spec);
        var done = await silos.WaitForSweepAsync("broken");
        await silos.WaitForSweepAsync("beside");
        await silos.AssertMatchesReferenceAsync(healthy.Runs[0].RunId);
        var end = done.Ended[sweep.Runs[0].RunId];
        Assert.AreEqual(RunStatus.Failed, end.Status);
        StringAssert.Contains(end.Error, "device 'cuda'");
        var view = (await silos.Run(sweep.Runs[0].RunId).GetAsync())!;
        Assert.AreEqual(RunStatus.Failed, view.State.Status);
        await silos.Grains.GetGrain<ISweepGrain>("broken").WakeAsync();
        Assert.AreEqual(1, (await silos.Run(sweep.Runs[0].RunId).GetAsync())!.State.Activations, "a failed run is not retried");
    }
}
