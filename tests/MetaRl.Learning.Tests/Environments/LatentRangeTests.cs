using MetaRl.Learning.Algorithms.Mql;
using MetaRl.Learning.Environments;
using MetaRl.Learning.Environments.HalfCheetah;
using MetaRl.Learning.Tests.Algorithms;
using MetaRl.Learning.Training;

namespace MetaRl.Learning.Tests.Environments;

/// <summary>Latent ranges: the out-of-distribution split of MQL's training tasks and a run's test tasks.</summary>
[TestClass]
public sealed class LatentRangeTests
{
    [TestMethod]
    public void A_fixed_task_set_in_a_range_lies_inside_it_covers_it_and_repeats_for_its_seed()
    {
        var family = new HalfCheetahVel();
        double[][] range = [[0.5, 1.0]];
        var tasks = family.FixedTaskSet(200, 7, range);
        Assert.IsTrue(tasks.All(t => t.Latent[0] >= 0.5 && t.Latent[0] <= 1.0 && t.Parameters[0] >= 3.5));
        Assert.IsTrue(tasks.Min(t => t.Latent[0]) < 0.53 && tasks.Max(t => t.Latent[0]) > 0.97, "uniform over the range");
        CollectionAssert.AreEqual(tasks.Select(t => t.Latent[0]).ToArray(), family.FixedTaskSet(200, 7, range).Select(t => t.Latent[0]).ToArray());
        CollectionAssert.AreEqual(family.FixedTaskSet(20, 7).Select(t => t.Latent[0]).ToArray(), family.FixedTaskSet(20, 7, null).Select(t => t.Latent[0]).ToArray());
    }

    [TestMethod]
    public void Invalid_ranges_are_refused_naming_the_field()
    {
        var cheetah = new HalfCheetahVel();
        Assert.AreEqual(0, LatentRange.Validate(cheetah, [[0, 0.5]], "f").Count);
        StringAssert.Contains(LatentRange.Validate(cheetah, [[0, 0.5], [0, 1]], "f").Single(), "one [low, high] per latent dimension");
        StringAssert.Contains(LatentRange.Validate(cheetah, [[0.6, 0.5]], "f").Single(), "0 ≤ low < high ≤ 1");
        StringAssert.Contains(LatentRange.Validate(cheetah, [[-0.1, 0.5]], "f").Single(), "f[0] (velocity)");
        StringAssert.Contains(LatentRange.Validate(cheetah, [[0.1]], "f").Single(), "[low, high]");
        StringAssert.Contains(LatentRange.Validate(TaskFamilies.Create("Khazad-Dum"), [[0, 1]], "f").Single(), "only on unit-interval latents");

        var spec = new RunSpec
        {
            Family = "HalfCheetah-Vel",
            Learner = Learners.Mql,
            Mql = new MqlOptions { TrainingLatentRange = [[0.5, 0.2]] },
            Evaluation = new EvaluationSpec { TestLatentRange = [[0, 2]] },
        };
        var errors = spec.Validate();
        Assert.IsTrue(errors.Any(e => e.StartsWith("mql.trainingLatentRange[0]")), string.Join("; ", errors));
        Assert.IsTrue(errors.Any(e => e.StartsWith("evaluation.testLatentRange[0]")), string.Join("; ", errors));
    }

    [TestMethod]
    public void Mql_trains_only_inside_its_training_range_and_a_run_tests_inside_its_test_range()
    {
        var options = RunResumeTests.TinyMql with { TrainingLatentRange = [[0, 0.5]] };
        using var mql = new MqlLearner(new HalfCheetahVel(), options, 1);
        Assert.IsTrue(mql.TrainingTasks.All(t => t.Latent[0] <= 0.5));
        // A meta-batch task outside the range trains the nearest training task, inside it.
        var far = mql.TrainingTasks[mql.TrainingTaskFor(new HalfCheetahVel().TaskAt([0.95]))];
        Assert.AreEqual(mql.TrainingTasks.Max(t => t.Latent[0]), far.Latent[0]);

        var evaluation = new EvaluationSpec { TestTasks = 30, TestLatentRange = [[0.5, 1]] };
        Assert.IsTrue(evaluation.TestSet(new HalfCheetahVel()).All(t => t.Latent[0] >= 0.5));
    }
}
