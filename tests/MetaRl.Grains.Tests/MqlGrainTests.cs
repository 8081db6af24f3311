using System.Text.Json;
using MetaRl.Grains.Execution;
using MetaRl.Grains.Interfaces;
using MetaRl.Grains.Interfaces.Specs;
using MetaRl.Learning.Algorithms.Mql;
using MetaRl.Learning.Common;
using MetaRl.Learning.Training;

namespace MetaRl.Grains.Tests;

/// <summary>MQL in the grains: replay segments stored once by the training tasks' grains, checkpoints that only list them, propensity grains.</summary>
[TestClass]
public sealed class MqlGrainTests
{
    /// <summary>Point-Robot MQL small enough for a test: 6 training tasks, segments of 16 transitions, a short burn-in.</summary>
    private static SweepSpec TinyMql(string name, int iterations) => new()
    {
        Name = name,
        Family = "Point-Robot",
        Learner = "mql",
        Methods = ["cvar-ml"],
        Alpha = [0.5],
        Seeds = 1,
        Budget = new SweepBudget { Iterations = iterations },
        Evaluation = new SweepEvaluation { TestTasks = 4, ValidationTasks = 2, ValidateEvery = 0 },
        Resources = new SweepResources { Cores = 1 },
        Run = JsonDocument.Parse("""
            {"metaBatch": 3, "mql": {"hidden": [16], "batchSize": 32, "burnInSteps": 100, "updatesPerStep": 0.1, "history": 4, "contextWidth": 4,
             "trainingTasks": 6, "replayPerTask": 64, "segmentSize": 16, "adaptationSteps": 20, "propensityReplaySamples": 64,
             "adaptationPhase1Steps": 3, "adaptationPhase2Steps": 5}}
            """).RootElement,
    };

    [TestMethod]
    [Timeout(240_000, CooperativeCancellation = true)]
    public async Task Replay_segments_are_stored_once_by_their_task_grains_and_checkpoints_only_list_them()
    {
        await using var silos = await TestSilos.StartAsync();
        var sweep = await silos.SubmitAsync(TinyMql("mql-once", iterations: 16));
        var runId = sweep.Runs[0].RunId;
        await silos.WaitForSweepAsync("mql-once");
        await silos.AssertMatchesReferenceAsync(runId);

        int sealedSegments = 0;
        for (int t = 0; t < 6; t++)
        {
            var task = await silos.Grains.GetGrain<ITaskGrain>($"{runId}.{ReplayPieces.TaskId(t)}").GetAsync();
            if (task is null) continue;
            Assert.AreEqual("train", task.Role);
            Assert.AreEqual(task.ReplaySegments, task.ReplaySegmentWrites, $"{task.TaskId}: every segment written exactly once");
            Assert.AreEqual(16L * task.ReplaySegments, task.ReplayTransitions);
            for (long s = 0; s < task.ReplayNextSegment; s++)
                if (!task.ReplaySkipped.Contains(s))
                    Assert.IsTrue(ReplaySegment.FromBytes((await silos.Grains.GetGrain<ITaskGrain>($"{runId}.{task.TaskId}").ReadReplaySegmentAsync(s))!).Full);
            sealedSegments += task.ReplaySegments;
        }
        Assert.IsTrue(sealedSegments >= 6, $"the run sealed segments ({sealedSegments})");

        // The newest checkpoint holds open segments only and lists the sealed ones it needs.
        var state = (await silos.Run(runId).GetAsync())!.State;
        var checkpointer = new Checkpointer(silos.Blobs, runId, "test", Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance);
        var latest = (await checkpointer.LoadLatestValidAsync(state.Checkpoints, CancellationToken.None))!.Value;
        var archive = TensorArchive.FromBytes(latest.State);
        Assert.IsTrue(MetaTrainingRun.PiecesNeeded(archive).Count > 0);
        foreach (var name in archive.Names.Where(n => n.StartsWith("learner.replay.", StringComparison.Ordinal)))
            Assert.IsFalse(ReplaySegment.FromBytes(archive.GetBytes(name)).Full, $"{name}: a sealed segment inside a checkpoint");

        // The selected model's tail tasks carry their propensity diagnostics.
        var propensities = (await Task.WhenAll(Enumerable.Range(0, 4).Select(i => silos.Grains.GetGrain<IPropensityGrain>($"{runId}.test-{i:D5}").GetAsync()))).Where(p => p is not null).ToList();
        Assert.AreEqual(2, propensities.Count, "CVaR_0.5 of 4 test tasks: the worst 2");
        foreach (var p in propensities)
        {
            Assert.IsTrue(p!.EffectiveSampleSize is > 0 and <= 1);
            Assert.AreEqual(1 - p.EffectiveSampleSize, p.Lambda, 1e-12);
            Assert.AreEqual(64, p.ReplaySamples);
        }
    }

    [TestMethod]
    [Timeout(240_000, CooperativeCancellation = true)]
    public async Task A_deactivated_mql_run_reads_its_segments_back_and_finishes_identically()
    {
        await using var silos = await TestSilos.StartAsync();
        var sweep = await silos.SubmitAsync(TinyMql("mql-moved", iterations: 40));
        var runId = sweep.Runs[0].RunId;
        await silos.WaitForAsync(runId, v => v.State.Iteration >= 14);
        await silos.Cluster.DeactivateAsync(silos.Run(runId));
        await silos.Grains.GetGrain<ISweepGrain>("mql-moved").WakeAsync();
        await silos.WaitForSweepAsync("mql-moved");
        await silos.AssertMatchesReferenceAsync(runId);
        var view = (await silos.Run(runId).GetAsync())!.State;
        Assert.AreEqual(2, view.Activations);
        for (int t = 0; t < 6; t++)
        {
            var task = await silos.Grains.GetGrain<ITaskGrain>($"{runId}.{ReplayPieces.TaskId(t)}").GetAsync();
            if (task is not null) Assert.IsTrue(task.ReplaySegmentWrites >= task.ReplaySegments);
        }
    }

    [TestMethod]
    [Timeout(240_000, CooperativeCancellation = true)]
    public async Task A_checkpoint_whose_replay_segment_changed_is_passed_over_and_the_run_still_finishes_exactly()
    {
        await using var silos = await TestSilos.StartAsync();
        var sweep = await silos.SubmitAsync(TinyMql("mql-tampered", iterations: 40));
        var runId = sweep.Runs[0].RunId;
        await silos.WaitForAsync(runId, v => v.State.Iteration >= 16);
        await silos.Run(runId).RequestAsync(Interfaces.State.RunDesire.Pause);
        var paused = await silos.WaitForAsync(runId, v => v.State.Status == Interfaces.State.RunStatus.Paused);

        // The newest checkpoint's most recently sealed segment, changed in place: same length, one reward different.
        var checkpointer = new Checkpointer(silos.Blobs, runId, "test", Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance);
        var newest = (await checkpointer.LoadLatestValidAsync(paused.State.Checkpoints, CancellationToken.None))!.Value;
        var piece = MetaTrainingRun.PiecesNeeded(TensorArchive.FromBytes(newest.State)).OrderByDescending(p => p.Number).First();
        Assert.IsNotNull(piece.Sha256, "checkpoints record each piece's hash");
        var path = RunBlobs.ReplaySegment(runId, ReplayPieces.TaskId(piece.Task), piece.Number);
        var segment = ReplaySegment.FromBytes((await silos.Blobs.ReadAsync(path, CancellationToken.None))!.Content);
        segment.Rewards[0] += 1;
        await silos.Blobs.WriteAsync(path, segment.ToBytes(), MetaRl.Storage.WriteCondition.None, CancellationToken.None);

        await silos.Run(runId).RequestAsync(Interfaces.State.RunDesire.Run);
        await silos.WaitForSweepAsync("mql-tampered");
        await silos.AssertMatchesReferenceAsync(runId);
    }

    [TestMethod]
    [Timeout(120_000, CooperativeCancellation = true)]
    public async Task A_task_grain_counts_each_segment_once_and_accepts_numbers_skipped_by_eviction()
    {
        await using var silos = await TestSilos.StartAsync();
        var grain = silos.Grains.GetGrain<ITaskGrain>("gaps.train-000");
        await grain.CreateAsync(new Interfaces.State.TaskState { RunId = "gaps", TaskId = "train-000", Role = "train", Family = "Point-Robot" });
        byte[] Segment(long number, float value)
        {
            var s = new ReplaySegment(number, 2, 1, 1);
            for (int k = 0; k < 2; k++) s.Add([value], [value], value, [value], false, k);
            return s.ToBytes();
        }
        await grain.PutReplaySegmentAsync(0, Segment(0, 1f), 2);
        await grain.PutReplaySegmentAsync(3, Segment(3, 2f), 2); // 1 and 2 were dropped before a checkpoint saw them
        var state = (await grain.GetAsync())!;
        Assert.AreEqual(2, state.ReplaySegments);
        Assert.AreEqual(4L, state.ReplayTransitions);
        CollectionAssert.AreEqual(new long[] { 1, 2 }, state.ReplaySkipped);
        Assert.IsNull(await grain.ReadReplaySegmentAsync(1));
        Assert.IsNull(await grain.ReadReplaySegmentAsync(4));

        await grain.PutReplaySegmentAsync(3, Segment(3, 2f), 2); // a resumed run stores it again
        await grain.PutReplaySegmentAsync(2, Segment(2, 3f), 2); // a skipped number arriving late still counts once
        state = (await grain.GetAsync())!;
        Assert.AreEqual(3, state.ReplaySegments);
        Assert.AreEqual(6L, state.ReplayTransitions);
        Assert.AreEqual(4, state.ReplaySegmentWrites);
        CollectionAssert.AreEqual(new long[] { 1 }, state.ReplaySkipped);
        Assert.AreEqual(3f, ReplaySegment.FromBytes((await grain.ReadReplaySegmentAsync(2))!).Rewards[0]);
        await Assert.ThrowsExactlyAsync<ArgumentOutOfRangeException>(() => grain.PutReplaySegmentAsync(-1, Segment(0, 1f), 2));
    }
}
