using MetaRl.Learning.Training;

namespace MetaRl.Learning.Tests.Training;

[TestClass]
public sealed class MemoryFloorTests
{
    [TestMethod]
    public void Supervised_floor_is_every_tasks_parameters_after_each_inner_step()
    {
        var spec = new RunSpec { Family = "Sine", Learner = Learners.Maml, MetaBatch = 100, Supervised = new() { Hidden = [512, 512], InnerSteps = 5 } };
        long parameters = (1 * 512 + 512) + (512 * 512 + 512) + (512 * 1 + 1);
        Assert.AreEqual(4L * 100 * 6 * parameters, MemoryFloor.Of(spec).Bytes);
        // Measured for this spec (`metarl train`, 2 iterations): 2.2 GiB resident; the floor is 0.63 GB — a lower bound.
    }

    [TestMethod]
    public void Authors_configurations_fit_easily_and_an_impossible_run_is_named_by_its_fields()
    {
        foreach (var spec in new[]
                 {
                     new RunSpec { Family = "HalfCheetah-Vel", Learner = Learners.ProMp, MetaBatch = 40, Rl = new() { EpisodesPerTask = 20 } },
                     new RunSpec { Family = "HalfCheetah-Vel", Learner = Learners.Mql, Iterations = 1000, MetaBatch = 10 },
                     new RunSpec { Family = "Point-Robot", Learner = Learners.Rl2 },
                     new RunSpec { Family = "Sine", Learner = Learners.Maml },
                 })
        {
            Assert.AreEqual(0, spec.Validate().Count, string.Join("; ", spec.Validate()));
            Assert.IsTrue(MemoryFloor.Of(spec).Bytes < 1L << 30, $"{spec.Learner} on {spec.Family}: {MemoryFloor.Gib(MemoryFloor.Of(spec).Bytes)}");
            Assert.IsNull(MemoryFloor.Problem(spec, 8L << 30, "an 8 GiB machine"));
        }
        var huge = new RunSpec { Family = "Sine", Learner = Learners.Maml, MetaBatch = 10_000, Supervised = new() { Hidden = [4096, 4096] } };
        Assert.AreEqual(0, huge.Validate().Count, "within every single limit");
        var problem = MemoryFloor.Problem(huge, 24L << 30, "this machine");
        Assert.IsNotNull(problem);
        StringAssert.Contains(problem, "metaBatch 10000");
        StringAssert.Contains(problem, "supervised.hidden [4096, 4096]");
        StringAssert.Contains(problem, "3.67 TiB");
        StringAssert.Contains(problem, "this machine has 24 GiB");
    }

    [TestMethod]
    public void Mql_replay_counts_what_the_run_can_collect_at_most()
    {
        var full = new RunSpec { Family = "HalfCheetah-Vel", Learner = Learners.Mql, Iterations = 10_000_000, MetaBatch = 100, Mql = new() { TrainingTasks = 10_000, ReplayPerTask = 10_000_000 } };
        Assert.IsNotNull(MemoryFloor.Problem(full, 1L << 40, "a 1 TiB machine"), "10^11 transitions");
        var shortRun = full with { Iterations = 10 };
        Assert.IsNull(MemoryFloor.Problem(shortRun, 1L << 30, "a 1 GiB machine"), "10 iterations collect 10 × 100 × 200 steps only");
    }
}
