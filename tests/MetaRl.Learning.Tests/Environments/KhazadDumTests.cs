using MetaRl.Learning.Environments;
using MetaRl.Learning.Environments.KhazadDum;

namespace MetaRl.Learning.Tests.Environments;

[TestClass]
public sealed class KhazadDumTests
{
    private const int Up = 0, Down = 1, Left = 2, Right = 3;
    private const double Tolerance = 1e-12;

    private static readonly KhazadDumFamily Discrete = new(continuous: false);
    private static readonly KhazadDumFamily Continuous = new(continuous: true);

    private static KhazadDumEnvironment Create(double noise, bool continuous = false, ulong seed = 1)
    {
        var family = continuous ? Continuous : Discrete;
        var env = (KhazadDumEnvironment)family.CreateEnvironment(family.TaskAt([noise]), seed);
        env.Reset(new float[3]);
        return env;
    }

    private static StepResult Step(KhazadDumEnvironment env, params float[] action) => env.Step(action, new float[3]);

    [TestMethod]
    public void Both_variants_are_registered_with_their_action_spaces()
    {
        var discrete = TaskFamilies.CreateRl("Khazad-Dum");
        var continuous = TaskFamilies.CreateRl("Khazad-Dum-Continuous");
        Assert.AreEqual(4, ((DiscreteSpace)discrete.ActionSpace).Count);
        var box = (BoxSpace)continuous.ActionSpace;
        CollectionAssert.AreEqual(new[] { -1.0, -1.0 }, box.Low);
        CollectionAssert.AreEqual(new[] { 1.0, 1.0 }, box.High);
        foreach (var family in new[] { discrete, continuous })
        {
            Assert.AreEqual(32, family.Horizon);
            Assert.AreEqual(3, family.ObservationSpace.Size);
            var latent = family.Latents.Single();
            Assert.AreEqual(LatentKind.Exponential, latent.Kind);
            Assert.AreEqual(0.1, latent.OriginalMean);
            Assert.AreEqual(0.37, family.TaskAt([0.37])["noise"]);
        }
    }

    [TestMethod]
    public void Noise_levels_drawn_from_the_original_distribution_average_one_tenth()
    {
        Assert.AreEqual(0.1, FamilyHarness.MeanParameter(Discrete, "noise"), 0.004);
    }

    [TestMethod]
    public void A_negative_or_missing_noise_level_is_rejected()
    {
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => Discrete.ToParameters([-0.01]));
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => Discrete.ToParameters([double.NaN]));
        Assert.ThrowsExactly<ArgumentException>(() => Discrete.ToParameters([0.1, 0.2]));
    }

    [TestMethod]
    public void Episodes_start_uniformly_in_the_start_square_and_observe_position_over_grid_size()
    {
        var env = (KhazadDumEnvironment)Discrete.CreateEnvironment(Discrete.TaskAt([0.1]), 3);
        var observation = new float[3];
        double minX = double.MaxValue, maxX = double.MinValue, sumY = 0;
        const int episodes = 2000;
        for (int i = 0; i < episodes; i++)
        {
            env.Reset(observation);
            var (x, y) = env.Position;
            Assert.IsTrue(x >= 0.5 && x <= 2.5 && y >= 0.5 && y <= 2.5, $"start ({x}, {y})");
            Assert.AreEqual((float)(x / 11), observation[0]);
            Assert.AreEqual((float)(y / 9), observation[1]);
            Assert.AreEqual(0f, observation[2]);
            (minX, maxX, sumY) = (Math.Min(minX, x), Math.Max(maxX, x), sumY + y);
        }
        Assert.IsLessThan(0.55, minX);
        Assert.IsGreaterThan(2.45, maxX);
        Assert.AreEqual(1.5, sumY / episodes, 0.05);
        env.Step([Up], observation);
        env.Step([Up], observation);
        Assert.AreEqual(2f / 32, observation[2]);
    }

    [TestMethod]
    public void Walking_up_the_narrow_bridge_without_noise_pays_five_once_at_the_goal_then_nothing()
    {
        var env = Create(noise: 0);
        env.PlaceAgent(2.5, 1.5);
        // L1 distances to (2.5, 7.5) after each of the first five moves: 5, 4, 3, 2, 1.
        double[] expected = [-1, -0.8, -0.6, -0.4, -0.2, 5];
        for (int t = 0; t < expected.Length; t++)
        {
            var result = Step(env, Up);
            Assert.AreEqual(expected[t] / 32, result.Reward, Tolerance, $"move {t + 1}");
            Assert.IsFalse(result.Done);
        }
        Assert.IsTrue(env.ReachedGoal);
        Assert.AreEqual((2.5, 7.5), env.Position);
        for (int t = expected.Length + 1; t <= 32; t++)
        {
            var result = Step(env, t % 2 == 0 ? Down : Right);
            Assert.AreEqual(0, result.Reward, $"step {t} after the goal");
            Assert.AreEqual((2.5, 7.5), env.Position, "the agent stays at the goal");
            Assert.AreEqual(t == 32, result.Truncated);
            Assert.IsFalse(result.Terminated);
        }
    }

    [TestMethod]
    public void Falling_into_the_abyss_costs_one_per_remaining_step_with_the_agent_stuck()
    {
        var env = Create(noise: 0);
        env.PlaceAgent(5.5, 1.5);
        Assert.AreEqual(-1.0 / 32, Step(env, Up).Reward, Tolerance, "(5.5, 2.5) is 3 + 5 = 8 from the goal, capped at 1");
        var fall = Step(env, Up);
        Assert.IsTrue(env.Fell);
        Assert.AreEqual(-1.0 / 32, fall.Reward, Tolerance);
        var stuck = env.Position;
        Assert.AreEqual((5.5, 3.5), stuck);
        double total = fall.Reward;
        for (int t = 3; t <= 32; t++)
        {
            var result = Step(env, Up);
            Assert.AreEqual(-1.0 / 32, result.Reward, Tolerance);
            Assert.AreEqual(stuck, env.Position);
            Assert.IsFalse(result.Terminated, "a fall does not end the episode");
            Assert.AreEqual(t == 32, result.Truncated);
            total += result.Reward;
        }
        Assert.AreEqual(-31.0 / 32, total, 1e-9, "the fall step and the 30 after it");
    }

    [TestMethod]
    public void Only_moves_made_in_the_abyss_rows_are_noisy_and_they_cost_three_times_the_noise()
    {
        const double noise = 0.05;
        var env = Create(noise);
        // Below and above the abyss, and stepping onto a bridge from below: exact unit moves.
        (double X, double Y, int Action, double Dx, double Dy)[] exact =
        [
            (5.5, 1.5, Right, 1, 0), (5.5, 1.5, Left, -1, 0), (5.5, 1.5, Down, 0, -1),
            (2.5, 2.5, Up, 0, 1), (8.5, 2.5, Up, 0, 1), (5.5, 6.5, Up, 0, 1), (5.5, 7.5, Right, 1, 0),
        ];
        foreach (var (x, y, action, dx, dy) in exact)
        {
            env.PlaceAgent(x, y);
            var reward = Step(env, action).Reward;
            Assert.AreEqual((x + dx, y + dy), env.Position, $"move {action} from ({x}, {y})");
            Assert.AreEqual(-Math.Min(KhazadDumMap.DistanceToGoal(x + dx, y + dy) / 5, 1) / 32, reward, Tolerance, "no noise cost off the bridges");
        }

        // On either bridge every move is perturbed and pays the noise cost.
        int perturbed = 0, moves = 0;
        foreach (var (x, y) in new[] { (2.5, 3.5), (2.5, 4.5), (8.5, 3.5), (8.5, 5.5), (7.5, 4.5) })
        {
            for (int i = 0; i < 20; i++, moves++)
            {
                env.PlaceAgent(x, y);
                var reward = Step(env, Up).Reward;
                var (nx, ny) = env.Position;
                if (nx != x || ny != y + 1) perturbed++;
                double position = env.Fell ? -1 : env.ReachedGoal ? 5 : -Math.Min(KhazadDumMap.DistanceToGoal(nx, ny) / 5, 1);
                Assert.AreEqual((position - 3 * noise) / 32, reward, Tolerance);
            }
        }
        Assert.AreEqual(moves, perturbed);
    }

    [TestMethod]
    public void Noise_grows_with_the_square_of_the_speed()
    {
        const double noise = 0.2;
        const int trials = 3000;
        var env = Create(noise, continuous: true);
        foreach (var speed in new[] { 0.5, 1.0 })
        {
            double sumSquares = 0;
            for (int i = 0; i < trials; i++)
            {
                env.PlaceAgent(8.5, 3.5);
                Step(env, 0, (float)speed);
                var (x, _) = env.Position;
                sumSquares += (x - 8.5) * (x - 8.5);
            }
            double expectedStd = noise * speed * speed;
            Assert.AreEqual(expectedStd, Math.Sqrt(sumSquares / trials), 0.1 * expectedStd, $"speed {speed}");
        }
    }

    [TestMethod]
    public void Walls_block_at_the_grid_border()
    {
        var env = Create(noise: 0);
        env.PlaceAgent(0.5, 0.5);
        Step(env, Left);
        Assert.AreEqual((0.0, 0.5), env.Position);
        Step(env, Down);
        Step(env, Down);
        Assert.AreEqual((0.0, 0.0), env.Position);

        env.PlaceAgent(10.5, 8.5);
        Step(env, Right);
        Step(env, Up);
        var (x, y) = env.Position;
        Assert.IsTrue(x < 11 && x > 10.999999, $"x = {x}");
        Assert.IsTrue(y < 9 && y > 8.999999, $"y = {y}");
        Step(env, Left);
        Assert.AreEqual(x - 1, env.Position.X, Tolerance);
    }

    [TestMethod]
    public void Continuous_steps_move_by_the_action_with_the_norm_clipped_to_one()
    {
        var env = Create(noise: 0, continuous: true);
        env.PlaceAgent(5.5, 0.5);
        Step(env, 0.3f, 0.4f);
        Assert.AreEqual(5.8, env.Position.X, 1e-6);
        Assert.AreEqual(0.9, env.Position.Y, 1e-6);
        Step(env, 1, 1);
        Assert.AreEqual(5.8 + Math.Sqrt(0.5), env.Position.X, 1e-6);
        Assert.AreEqual(0.9 + Math.Sqrt(0.5), env.Position.Y, 1e-6);
        env.PlaceAgent(5.5, 0.5);
        Step(env, -4, 0);
        Assert.AreEqual((4.5, 0.5), env.Position, "each coordinate is clipped to [-1, 1] first");
    }

    [TestMethod]
    public void Discrete_actions_outside_the_four_moves_are_rejected()
    {
        var env = Create(noise: 0);
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => Step(env, 4));
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => Step(env, 1.5f));
    }

    [TestMethod]
    public void Under_large_noise_the_narrow_bridge_falls_far_more_often_than_the_wide_one()
    {
        // Noise 0.5, five times the original mean: about 2/3 of narrow crossings fall, under a tenth of wide ones.
        int narrow = CountFalls(bridgeLeftEdge: 2), wide = CountFalls(bridgeLeftEdge: 8);
        Assert.IsGreaterThan(Episodes / 2, narrow, $"narrow bridge: {narrow} falls of {Episodes}");
        Assert.IsLessThan(narrow / 4, wide, $"wide bridge: {wide} falls of {Episodes}, narrow {narrow}");
    }

    private const int Episodes = 400;

    /// <summary>Walks right until x ≥ <paramref name="bridgeLeftEdge"/>, then straight up past the abyss.</summary>
    private static int CountFalls(int bridgeLeftEdge)
    {
        var env = (KhazadDumEnvironment)Discrete.CreateEnvironment(Discrete.TaskAt([0.5]), 99);
        var observation = new float[3];
        int falls = 0;
        for (int episode = 0; episode < Episodes; episode++)
        {
            env.Reset(observation);
            for (int t = 0; t < 32 && !env.Fell && env.Position.Y < 6; t++)
            {
                env.Step([env.Position.X < bridgeLeftEdge ? Right : Up], observation);
            }
            if (env.Fell) falls++;
        }
        return falls;
    }

    [TestMethod]
    public void Spaces_and_horizon_match_the_family()
    {
        FamilyHarness.AssertSpacesMatch(Discrete, Discrete.TaskAt([0.3]));
        FamilyHarness.AssertSpacesMatch(Continuous, Continuous.TaskAt([0.3]));
        var env = Create(noise: 0.5, continuous: true);
        FamilyHarness.AssertTruncatedExactlyAtHorizon(env, 32, _ => [0.5f, -0.5f]);
    }

    [TestMethod]
    public void Same_task_seed_and_actions_give_identical_runs()
    {
        FamilyHarness.AssertDeterministic(Discrete, Discrete.TaskAt([0.5]), steps: 100);
        FamilyHarness.AssertDeterministic(Continuous, Continuous.TaskAt([0.5]), steps: 100);
        var a = FamilyHarness.Run(Discrete, Discrete.TaskAt([0.5]), seed: 1, actionSeed: 5, steps: 20);
        var b = FamilyHarness.Run(Discrete, Discrete.TaskAt([0.5]), seed: 2, actionSeed: 5, steps: 20);
        CollectionAssert.AreNotEqual(a.Observations, b.Observations, "another seed starts elsewhere");
    }

    [TestMethod]
    public void A_batch_gives_the_same_results_on_one_thread_and_on_two()
    {
        FamilyHarness.AssertBatchIndependentOfThreads(Discrete, steps: 40);
        FamilyHarness.AssertBatchIndependentOfThreads(Continuous, steps: 40);
    }

    [TestMethod]
    public void A_restored_state_continues_exactly_like_the_original()
    {
        // Noise 0.8 and actions that keep the agent moving make the continuation depend on the random stream.
        FamilyHarness.AssertSaveRestoreContinues(Discrete, Discrete.TaskAt([0.8]), before: 13, after: 60);
        FamilyHarness.AssertSaveRestoreContinues(Continuous, Continuous.TaskAt([0.8]), before: 13, after: 60);
    }

    [TestMethod]
    public void A_restored_state_keeps_the_fall()
    {
        var env = Create(noise: 0);
        env.PlaceAgent(5.5, 2.5);
        Step(env, Up);
        var state = env.SaveState();
        var fresh = Create(noise: 0, seed: 5);
        fresh.RestoreState(state);
        Assert.IsTrue(fresh.Fell);
        Assert.AreEqual(env.Position, fresh.Position);
        Assert.AreEqual(-1.0 / 32, Step(fresh, Right).Reward, Tolerance);
    }

    [TestMethod]
    public void Sampling_the_stream_does_not_depend_on_the_noise_level()
    {
        // The Gaussian draws happen for every noisy move, so two tasks share the stream position; only the scale differs.
        var quiet = Create(noise: 0, seed: 4);
        var loud = Create(noise: 0.1, seed: 4);
        Assert.AreEqual(quiet.Position, loud.Position);
        foreach (var env in new[] { quiet, loud })
        {
            env.PlaceAgent(8.5, 3.5);
            Step(env, Up);
            env.PlaceAgent(5.5, 1.5);
            Step(env, Right);
        }
        CollectionAssert.AreEqual(quiet.SaveState()[4..36], loud.SaveState()[4..36], "random stream states");
    }
}
