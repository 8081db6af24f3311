using MetaRl.Learning.Environments;
using MetaRl.Learning.Environments.PointRobot;

namespace MetaRl.Learning.Tests.Environments;

[TestClass]
public sealed class PointRobotTests
{
    private static readonly PointRobotFamily Family = new();

    [TestMethod]
    public void Is_registered_with_a_small_box_action_and_a_twenty_step_horizon()
    {
        var family = TaskFamilies.CreateRl("Point-Robot");
        Assert.IsInstanceOfType<PointRobotFamily>(family);
        var box = (BoxSpace)family.ActionSpace;
        CollectionAssert.AreEqual(new[] { -0.1, -0.1 }, box.Low);
        CollectionAssert.AreEqual(new[] { 0.1, 0.1 }, box.High);
        Assert.AreEqual(20, family.Horizon);
        Assert.AreEqual(2, family.ObservationSpace.Size);
    }

    [TestMethod]
    public void The_angle_latent_walks_the_goal_along_the_upper_half_circle()
    {
        AssertGoal(0, 1, 0);
        AssertGoal(0.5, 0, 1);
        AssertGoal(1, -1, 0);
        AssertGoal(1.0 / 3, 0.5, Math.Sqrt(3) / 2);
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => Family.ToParameters([1.01]));
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => Family.ToParameters([-0.01]));
    }

    private static void AssertGoal(double u, double x, double y)
    {
        var task = Family.TaskAt([u]);
        Assert.AreEqual(x, task["goal_x"], 1e-12, $"u = {u}");
        Assert.AreEqual(y, task["goal_y"], 1e-12, $"u = {u}");
    }

    [TestMethod]
    public void Goals_from_the_original_distribution_average_to_the_half_circle_centroid()
    {
        // u uniform on [0, 1]: E[cos πu] = 0 and E[sin πu] = 2/π.
        Assert.AreEqual(0, FamilyHarness.MeanParameter(Family, "goal_x"), 0.015);
        Assert.AreEqual(2 / Math.PI, FamilyHarness.MeanParameter(Family, "goal_y"), 0.01);
    }

    [TestMethod]
    public void Starts_at_the_origin_and_pays_minus_the_distance_to_the_goal_after_each_move()
    {
        var task = Family.TaskAt([0.5]); // goal (0, 1)
        using var env = (PointRobotEnvironment)Family.CreateEnvironment(task, 1);
        var observation = new float[] { 9, 9 };
        env.Reset(observation);
        CollectionAssert.AreEqual(new[] { 0f, 0f }, observation);

        var first = env.Step([0.1f, 0.05f], observation);
        Assert.AreEqual(-Math.Sqrt(0.1 * 0.1 + 0.95 * 0.95), first.Reward, 1e-6);
        CollectionAssert.AreEqual(new[] { 0.1f, 0.05f }, observation);

        var second = env.Step([-0.1f, 0.1f], observation);
        Assert.AreEqual(-0.85, second.Reward, 1e-6);
        Assert.AreEqual(0, env.Position.X, 1e-7);
        Assert.AreEqual(0.15, env.Position.Y, 1e-7);
    }

    [TestMethod]
    public void Actions_are_clipped_to_a_tenth_per_coordinate()
    {
        using var env = (PointRobotEnvironment)Family.CreateEnvironment(Family.TaskAt([0]), 1);
        var observation = new float[2];
        env.Reset(observation);
        var result = env.Step([5f, -3f], observation);
        Assert.AreEqual(0.1, env.Position.X, 1e-7);
        Assert.AreEqual(-0.1, env.Position.Y, 1e-7);
        Assert.AreEqual(-Math.Sqrt(0.9 * 0.9 + 0.1 * 0.1), result.Reward, 1e-6);
    }

    [TestMethod]
    public void Walking_straight_to_the_goal_and_staying_there_earns_almost_zero_at_the_end()
    {
        var task = Family.TaskAt([0.25]);
        using var env = (PointRobotEnvironment)Family.CreateEnvironment(task, 1);
        var observation = new float[2];
        env.Reset(observation);
        StepResult last = default;
        for (int t = 0; t < 20; t++)
        {
            double dx = task["goal_x"] - env.Position.X, dy = task["goal_y"] - env.Position.Y;
            last = env.Step([(float)dx, (float)dy], observation);
        }
        Assert.AreEqual(0, last.Reward, 1e-6);
        Assert.IsTrue(last.Truncated);
    }

    [TestMethod]
    public void Spaces_and_horizon_match_the_family()
    {
        FamilyHarness.AssertSpacesMatch(Family, Family.TaskAt([0.7]));
        using var env = Family.CreateEnvironment(Family.TaskAt([0.7]), 1);
        FamilyHarness.AssertTruncatedExactlyAtHorizon(env, 20, _ => [0.1f, 0.1f]);
    }

    [TestMethod]
    public void Same_task_seed_and_actions_give_identical_runs()
    {
        FamilyHarness.AssertDeterministic(Family, Family.TaskAt([0.3]), steps: 60);
    }

    [TestMethod]
    public void A_batch_gives_the_same_results_on_one_thread_and_on_two()
    {
        FamilyHarness.AssertBatchIndependentOfThreads(Family, steps: 20);
    }

    [TestMethod]
    public void A_restored_state_continues_exactly_like_the_original()
    {
        FamilyHarness.AssertSaveRestoreContinues(Family, Family.TaskAt([0.9]), before: 7, after: 30);
    }
}
