using MetaRl.Learning.Algorithms.Meta;
using MetaRl.Learning.Algorithms.Mql;
using MetaRl.Learning.Environments;
using MetaRl.Learning.Environments.PointRobot;
using MetaRl.Learning.Training;

namespace MetaRl.Learning.Tests.Algorithms.Mql;

[TestClass]
public sealed class MqlLearnerTests
{
    private static MqlLearner Create(ulong seed = 1) => new(new PointRobotFamily(), RunResumeTests.TinyMql, seed);

    [TestMethod]
    public void A_meta_batch_task_trains_the_nearest_training_task()
    {
        using var mql = Create();
        var family = (ITaskFamily)mql.Family;
        Assert.AreEqual(6, mql.TrainingTasks.Count);
        for (int i = 0; i < mql.TrainingTasks.Count; i++)
        {
            Assert.AreEqual(i, mql.TrainingTaskFor(mql.TrainingTasks[i]));
            var nearby = family.TaskAt([Math.Clamp(mql.TrainingTasks[i].Latent[0] + 1e-6, 0, 1)]);
            Assert.AreEqual(i, mql.TrainingTaskFor(nearby));
        }
    }

    [TestMethod]
    public void Iterations_fill_each_task_s_replay_and_sealed_segments_never_change()
    {
        using var mql = Create();
        var family = (ITaskFamily)mql.Family;
        var batch = TaskBatch.Uniform([mql.TrainingTasks[0], mql.TrainingTasks[3]]);
        var r1 = mql.Iterate(batch, KeepAllTasks.Instance, 0);
        Assert.AreEqual(1.0, r1.Diagnostics["burn_in"]);
        var first = mql.SaveState();
        for (int i = 1; i < 4; i++) mql.Iterate(batch, KeepAllTasks.Instance, i);
        var later = mql.SaveState();
        Assert.IsNull(mql.Replays[1], "a task never sampled has no buffer");
        Assert.AreEqual(mql.Replays[0]!.Count, mql.Replays[3]!.Count);
        Assert.IsTrue(mql.TotalSteps > RunResumeTests.TinyMql.BurnInSteps);
        // Every segment sealed at the first checkpoint is byte-identical at the later one, or was dropped.
        foreach (var name in first.Names.Where(n => n.StartsWith("replay.")))
        {
            var segment = ReplaySegment.FromBytes(first.GetBytes(name));
            if (segment.Full && later.Contains(name)) CollectionAssert.AreEqual(first.GetBytes(name), later.GetBytes(name), name);
        }
        Assert.IsTrue(later.Names.Count(n => n.StartsWith("replay.")) > first.Names.Count(n => n.StartsWith("replay.")));
    }

    [TestMethod]
    public void Evaluation_adapts_each_task_and_reports_the_propensity_diagnostics()
    {
        using var mql = Create();
        for (int i = 0; i < 3; i++) mql.Iterate(TaskBatch.Uniform(mql.TrainingTasks.Take(3).ToList()), KeepAllTasks.Instance, i);
        var tasks = ((ITaskFamily)mql.Family).FixedTaskSet(2, 99);
        var scores = mql.Evaluate(tasks, 7);
        Assert.AreEqual(2, scores.Pre.Length);
        Assert.AreEqual(2, mql.LastAdaptations.Count);
        foreach (var d in mql.LastAdaptations)
        {
            Assert.IsTrue(d.EffectiveSampleSize > 0 && d.EffectiveSampleSize <= 1, $"ESS {d.EffectiveSampleSize}");
            Assert.AreEqual(1 - d.EffectiveSampleSize, d.Lambda, 1e-12);
            Assert.IsTrue(d.NewTaskSamples >= RunResumeTests.TinyMql.AdaptationSteps);
            Assert.AreEqual(RunResumeTests.TinyMql.PropensityReplaySamples, d.ReplaySamples);
        }
        CollectionAssert.AreEqual(scores.Post, mql.LastAdaptations.Select(d => d.PostReturn).ToArray());
        var again = mql.Evaluate(tasks, 7);
        CollectionAssert.AreEqual(scores.Pre, again.Pre, "evaluation is deterministic");
        CollectionAssert.AreEqual(scores.Post, again.Post);
    }

    [TestMethod]
    public void Mql_is_refused_on_a_family_with_discrete_actions()
    {
        var errors = new RunSpec { Family = "Khazad-Dum", Learner = Learners.Mql }.Validate();
        Assert.IsTrue(errors.Any(e => e.Contains("learner 'mql' needs continuous actions") && e.Contains("maml-trpo")), string.Join("; ", errors));
        var bad = new RunSpec { Family = "Point-Robot", Learner = Learners.Mql, Mql = new MqlOptions { BatchSize = 0, ReplayPerTask = 10 } }.Validate();
        Assert.IsTrue(bad.Any(e => e.Contains("mql.batchSize 0")));
        Assert.IsTrue(bad.Any(e => e.Contains("mql.replayPerTask 10")));
    }
}
