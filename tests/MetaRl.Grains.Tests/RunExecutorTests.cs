using System.Text.Json;
using MetaRl.Grains.Execution;
using MetaRl.Grains.Interfaces;
using MetaRl.Grains.Interfaces.State;
using MetaRl.Learning.Torch.Serialization;
using MetaRl.Learning.Training;
using MetaRl.Storage;

namespace MetaRl.Grains.Tests;

[TestClass]
public sealed class RunExecutorTests
{
    private static readonly ExecutorOptions Fast = new()
    {
        SiloId = "test-silo",
        LeaseDuration = TimeSpan.FromSeconds(15),
        LeaseRenewal = TimeSpan.FromSeconds(5),
        CheckpointEveryIterations = 2,
        CheckpointInterval = TimeSpan.FromMinutes(10),
        ControlPoll = TimeSpan.FromMilliseconds(50),
    };

    /// <summary>The run done straight in this process: its metric lines and final parameters.</summary>
    private static (List<string> Lines, byte[] Parameters) Reference(RunState state)
    {
        var spec = JsonSerializer.Deserialize<RunSpec>(state.SpecJson, GrainJson.Options)!;
        using var run = new MetaTrainingRun(SweepExpansion.ForCores(spec, 1));
        var lines = new List<string>();
        while (!run.Done) lines.Add(JsonSerializer.Serialize(run.Step(), GrainJson.Options));
        return (lines, run.Learner.SaveParameters());
    }

    private static async Task<(IBlobStore Store, GrainFactory Grains, string RunId)> SubmitAsync(string sweep, int iterations, string method = "roml")
    {
        var (store, _) = TestStores.Local();
        var grains = new GrainFactory(store);
        var state = await grains.Sweep(sweep).SubmitAsync(TestStores.TinySine(sweep, iterations, seeds: 1, methods: [method]), CancellationToken.None);
        return (store, grains, state.Runs[0].RunId);
    }

    /// <summary>
    /// The store seen through a hook that runs <paramref name="act"/> once, synchronously, right after the first
    /// write of the run's state that satisfies <paramref name="condition"/> — before the executor's next iteration,
    /// so the tests do not race the run.
    /// </summary>
    private static IBlobStore When(IBlobStore store, string runId, Func<RunState, bool> condition, Action act)
    {
        int done = 0;
        var path = StoragePaths.Run(runId);
        return new InterceptingStore(store)
        {
            AfterWrite = (p, content) =>
            {
                if (p == path && condition(GrainJson.Deserialize<RunState>(content.Span)) && Interlocked.Exchange(ref done, 1) == 0) act();
            },
        };
    }

    private static async Task<RunOutcome> ExecuteAsync(IBlobStore store, string runId, CancellationToken stop = default, ExecutorOptions? options = null)
    {
        var executor = await RunExecutor.TryClaimAsync(store, runId, options ?? Fast, _ => { }, CancellationToken.None);
        Assert.IsNotNull(executor, "claimed");
        return await executor.ExecuteAsync(stop);
    }

    private static async Task AssertMatchesReferenceAsync(IBlobStore store, GrainFactory grains, string runId)
    {
        var state = (await grains.Run(runId).GetAsync(CancellationToken.None))!;
        Assert.AreEqual(RunStatus.Completed, state.Status);
        var (lines, parameters) = Reference(state);
        var recorded = await grains.Run(runId).MetricsAsync(0, CancellationToken.None);
        CollectionAssert.AreEqual(lines, recorded.ToList(), "every iteration recorded exactly once, as an uninterrupted run records it");
        var model = TensorArchive.FromBytes((await store.ReadAsync(StoragePaths.RunModel(runId), CancellationToken.None))!.Content);
        CollectionAssert.AreEqual(parameters, model.GetBytes("final"), "final parameters");
        Assert.IsNotNull(await store.ReadAsync(StoragePaths.RunResult(runId), CancellationToken.None));
        Assert.IsNull(await store.GetPropertiesAsync(StoragePaths.RunnableMarker(runId, false), CancellationToken.None), "no longer runnable");
    }

    [TestMethod]
    public async Task A_run_executes_to_completion_like_an_uninterrupted_in_process_run()
    {
        var (store, grains, runId) = await SubmitAsync("whole", 9);
        Assert.AreEqual(RunOutcome.Completed, await ExecuteAsync(store, runId));
        await AssertMatchesReferenceAsync(store, grains, runId);
        var sweep = await grains.Sweep("whole").GetAsync(CancellationToken.None);
        Assert.IsTrue(sweep!.Complete, "the sweep aggregated the result");
        var cem = await grains.Cem(runId).GetAsync(CancellationToken.None);
        Assert.IsNotNull(cem);
        Assert.AreEqual(cem.Updates, (await grains.Cem(runId).HistoryAsync(CancellationToken.None)).Count, "every CEM update in the history once");
        Assert.IsTrue(cem.Updates >= 4);
        int tasks = 0;
        await foreach (var _ in store.ListAsync(StoragePaths.TasksPrefix(runId), CancellationToken.None)) tasks++;
        Assert.IsTrue(tasks > 0, "the test tail is recorded as task grains");
    }

    [TestMethod]
    public async Task A_run_stopped_for_shutdown_checkpoints_and_another_executor_finishes_it_identically()
    {
        var (store, grains, runId) = await SubmitAsync("stopped", 60);
        using var stop = new CancellationTokenSource();
        Assert.AreEqual(RunOutcome.Released, await ExecuteAsync(When(store, runId, s => s.Iteration >= 4, stop.Cancel), runId, stop.Token));
        var mid = (await grains.Run(runId).GetAsync(CancellationToken.None))!;
        Assert.AreEqual(RunStatus.Pending, mid.Status);
        Assert.IsTrue(mid.Iteration >= 4 && mid.Iteration < 60);
        Assert.AreEqual(RunOutcome.Completed, await ExecuteAsync(store, runId));
        await AssertMatchesReferenceAsync(store, grains, runId);
        Assert.AreEqual(2, (await grains.Run(runId).GetAsync(CancellationToken.None))!.Activations);
    }

    [TestMethod]
    public Task A_truncated_checkpoint_part_is_detected_and_the_previous_checkpoint_used() =>
        HalveNewestCheckpointBlobAndFinishAsync("truncated", (runId, iteration) => StoragePaths.CheckpointPart(runId, iteration, "run.000.bin"));

    [TestMethod]
    public Task A_corrupt_checkpoint_manifest_is_detected_and_the_previous_checkpoint_used() =>
        HalveNewestCheckpointBlobAndFinishAsync("badmanifest", StoragePaths.CheckpointManifest);

    /// <summary>Runs until two checkpoints exist, cuts one blob of the newest in half, and resumes: the result must equal an uninterrupted run's.</summary>
    private static async Task HalveNewestCheckpointBlobAndFinishAsync(string name, Func<string, int, string> blobOfCheckpoint)
    {
        var (store, grains, runId) = await SubmitAsync(name, 60);
        using var stop = new CancellationTokenSource();
        Assert.AreEqual(RunOutcome.Released, await ExecuteAsync(When(store, runId, s => s.Checkpoints.Count >= 2, stop.Cancel), runId, stop.Token));
        var newest = (await grains.Run(runId).GetAsync(CancellationToken.None))!.Checkpoints.Max();
        var path = blobOfCheckpoint(runId, newest);
        var content = (await store.ReadAsync(path, CancellationToken.None))!.Content;
        await store.WriteAsync(path, content.AsMemory(0, content.Length / 2), WriteCondition.None, null, CancellationToken.None);

        Assert.AreEqual(RunOutcome.Completed, await ExecuteAsync(store, runId));
        await AssertMatchesReferenceAsync(store, grains, runId);
    }

    [TestMethod]
    public async Task Pause_stops_after_a_checkpoint_and_resume_continues_to_the_same_result()
    {
        var (store, grains, runId) = await SubmitAsync("paused", 60, method: "baseline");
        var run = grains.Run(runId);
        var requested = When(store, runId, s => s.Iteration >= 2, () => run.RequestAsync(RunDesire.Pause, CancellationToken.None).GetAwaiter().GetResult());
        Assert.AreEqual(RunOutcome.Paused, await ExecuteAsync(requested, runId, options: Fast with { ControlPoll = TimeSpan.Zero }));
        Assert.AreEqual(RunStatus.Paused, (await run.GetAsync(CancellationToken.None))!.Status);
        Assert.IsNull(await store.GetPropertiesAsync(StoragePaths.RunnableMarker(runId, false), CancellationToken.None), "a paused run is not offered to silos");
        await run.RequestAsync(RunDesire.Run, CancellationToken.None);
        Assert.IsNotNull(await store.GetPropertiesAsync(StoragePaths.RunnableMarker(runId, false), CancellationToken.None));
        Assert.AreEqual(RunOutcome.Completed, await ExecuteAsync(store, runId));
        await AssertMatchesReferenceAsync(store, grains, runId);
    }

    [TestMethod]
    public async Task A_cancelled_run_stops_for_good()
    {
        var (store, grains, runId) = await SubmitAsync("cancelled", 60, method: "baseline");
        var run = grains.Run(runId);
        var requested = When(store, runId, s => s.Iteration >= 2, () => run.RequestAsync(RunDesire.Cancel, CancellationToken.None).GetAwaiter().GetResult());
        Assert.AreEqual(RunOutcome.Cancelled, await ExecuteAsync(requested, runId, options: Fast with { ControlPoll = TimeSpan.Zero }));
        Assert.AreEqual(RunStatus.Cancelled, (await run.GetAsync(CancellationToken.None))!.Status);
        var again = await RunExecutor.TryClaimAsync(store, runId, Fast, _ => { }, CancellationToken.None);
        Assert.AreEqual(RunOutcome.NotClaimed, await again!.ExecuteAsync(CancellationToken.None));
    }

    [TestMethod]
    public async Task A_run_held_by_one_executor_cannot_be_claimed_by_another()
    {
        var (store, _, runId) = await SubmitAsync("held", 6);
        var first = await RunExecutor.TryClaimAsync(store, runId, Fast, _ => { }, CancellationToken.None);
        Assert.IsNotNull(first);
        Assert.IsNull(await RunExecutor.TryClaimAsync(store, runId, Fast, _ => { }, CancellationToken.None));
        await first.ReleaseAsync();
        var second = await RunExecutor.TryClaimAsync(store, runId, Fast, _ => { }, CancellationToken.None);
        Assert.IsNotNull(second);
        await second.ReleaseAsync();
    }
}
