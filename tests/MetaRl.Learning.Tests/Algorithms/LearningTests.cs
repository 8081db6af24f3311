using MetaRl.Learning.Algorithms.Meta;
using MetaRl.Learning.Environments;
using MetaRl.Learning.Training;

namespace MetaRl.Learning.Tests.Algorithms;

/// <summary>Short trainings that must learn: adaptation has to help, and the meta-policy has to improve.</summary>
[TestClass]
public sealed class LearningTests
{
    [TestMethod]
    public void Maml_trpo_learns_to_adapt_on_point_robot_navigation()
    {
        var spec = new RunSpec
        {
            Family = "Point-Robot", Learner = Learners.MamlTrpo, Seed = 1, Iterations = 10, MetaBatch = 10,
            Rl = new RlLearnerOptions { EpisodesPerTask = 10 },
            Evaluation = new EvaluationSpec { TestTasks = 30, ValidationTasks = 10, ValidateEvery = 0 },
        };
        using var run = new MetaTrainingRun(spec);
        var before = run.Learner.Evaluate(run.Family.FixedTaskSet(30, 77), 77);
        while (!run.Done) run.Step();
        var after = run.Finish().Final;
        // Untrained: the one-step adaptation barely helps and returns are near a random walk's (~ −17).
        Assert.IsTrue(after.Mean > before.Post.Average() + 4, $"post-adaptation return {after.Mean:F2} vs untrained {before.Post.Average():F2}");
        Assert.IsTrue(after.Mean > after.PreMean + 4, $"adaptation helps: {after.PreMean:F2} → {after.Mean:F2}");
    }

    [TestMethod]
    public void Supervised_maml_adaptation_lowers_the_sine_loss()
    {
        var spec = new RunSpec
        {
            Family = "Sine", Learner = Learners.Maml, Seed = 2, Iterations = 300, MetaBatch = 20,
            Evaluation = new EvaluationSpec { TestTasks = 300, ValidationTasks = 16, ValidateEvery = 0 },
        };
        using var run = new MetaTrainingRun(spec);
        while (!run.Done) run.Step();
        var result = run.Finish().Final;
        // Scores are −MSE: after five inner steps the query loss must be clearly lower than before them.
        Assert.IsTrue(result.Mean > result.PreMean + 0.2, $"loss before adaptation {-result.PreMean:F3}, after {-result.Mean:F3}");
    }
}
