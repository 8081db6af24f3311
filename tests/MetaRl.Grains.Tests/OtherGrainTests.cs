using MetaRl.Grains.Interfaces.State;
using MetaRl.Learning.Algorithms.Mql;
using MetaRl.Learning.Common;

namespace MetaRl.Grains.Tests;

[TestClass]
public sealed class OtherGrainTests
{
    [TestMethod]
    public async Task Propensity_grain_keeps_a_fitted_estimate()
    {
        var (store, _) = TestStores.Local();
        var rng = new RandomStream(1);
        var fit = PropensityEstimator.Fit(
            Enumerable.Range(0, 200).Select(_ => new[] { 2 + rng.NextGaussian(), rng.NextGaussian() }).ToList(),
            Enumerable.Range(0, 800).Select(_ => new[] { rng.NextGaussian(), rng.NextGaussian() }).ToList());
        var grain = new GrainFactory(store).Propensity("run-1", "test-00007");
        Assert.IsNull(await grain.GetAsync(CancellationToken.None));
        var state = new PropensityState
        {
            RunId = "run-1", TaskId = "test-00007", Weights = fit.Weights, Bias = fit.Bias, Regularisation = 0.1,
            EffectiveSampleSize = fit.EffectiveSampleSize, Lambda = fit.Lambda, NewTaskSamples = 200, ReplaySamples = 800,
            TrainingAccuracy = fit.TrainingAccuracy, LogLoss = fit.LogLoss, MeanOdds = fit.ReplayOdds.Average(), MaxOdds = fit.ReplayOdds.Max(),
            Iterations = fit.Iterations, Fitted = DateTimeOffset.UtcNow,
        };
        await grain.SaveAsync(state, CancellationToken.None);
        var back = await grain.GetAsync(CancellationToken.None);
        Assert.AreEqual(fit.Lambda, back!.Lambda, 1e-15);
        CollectionAssert.AreEqual(fit.Weights, back.Weights);
        await Assert.ThrowsExactlyAsync<ArgumentException>(() => grain.SaveAsync(state with { TaskId = "other" }, CancellationToken.None));
    }

    [TestMethod]
    public async Task Task_grain_records_scores_once_and_appends_replay_segments_without_rewriting()
    {
        var (store, _) = TestStores.Local();
        var grain = (TaskGrain)new GrainFactory(store).Task("run-1", "test-00001");
        Assert.IsTrue(await grain.CreateAsync(new TaskState { RunId = "run-1", TaskId = "test-00001", Family = "Sine" }, CancellationToken.None));
        Assert.IsFalse(await grain.CreateAsync(new TaskState { RunId = "run-1", TaskId = "test-00001", Family = "Other" }, CancellationToken.None));
        var score = new TaskScore("selected", 10, -4, -2);
        await grain.RecordScoreAsync(score, CancellationToken.None);
        await grain.RecordScoreAsync(score, CancellationToken.None);
        Assert.AreEqual(1, (await grain.GetAsync(CancellationToken.None))!.Scores.Count);
        Assert.AreEqual(0, await grain.AppendReplaySegmentAsync(new byte[] { 1, 2 }, 2, CancellationToken.None));
        var firstEtag = (await store.GetPropertiesAsync(Interfaces.StoragePaths.TaskReplaySegment("run-1", "test-00001", 0), CancellationToken.None))!.ETag;
        Assert.AreEqual(1, await grain.AppendReplaySegmentAsync(new byte[] { 3 }, 1, CancellationToken.None));
        Assert.AreEqual(firstEtag, (await store.GetPropertiesAsync(Interfaces.StoragePaths.TaskReplaySegment("run-1", "test-00001", 0), CancellationToken.None))!.ETag, "old segments are never rewritten");
        CollectionAssert.AreEqual(new byte[] { 3 }, await grain.ReadReplaySegmentAsync(1, CancellationToken.None));
        var state = await grain.GetAsync(CancellationToken.None);
        Assert.AreEqual(2, state!.ReplaySegments);
        Assert.AreEqual(3, state.ReplayTransitions);
        Assert.IsNull(await grain.ReadReplaySegmentAsync(2, CancellationToken.None));
    }
}
