using MetaRl.Learning.Common;
using MetaRl.Learning.Environments;
using MetaRl.Learning.Environments.HalfCheetah;

namespace MetaRl.Learning.Tests.Environments;

[TestClass]
public sealed class HalfCheetahTests
{
    private static MetaTask Task(IRlTaskFamily family, params double[] latent) => family.TaskAt(latent);

    /// <summary>An open-loop gait: sinusoids with the front leg half a period behind the back leg.</summary>
    private static float[] Gait(int t) =>
        Enumerable.Range(0, 6).Select(j => (float)Math.Sin(0.8 * t + (j < 3 ? 0 : Math.PI) + 0.5 * (j % 3))).ToArray();

    [TestMethod]
    public void Families_have_the_documented_spaces_and_horizon()
    {
        foreach (var name in new[] { "HalfCheetah-Vel", "HalfCheetah-Mass", "HalfCheetah-Body", "HalfCheetah-Fwd-Back" })
        {
            var family = TaskFamilies.CreateRl(name);
            Assert.AreEqual(200, family.Horizon, name);
            Assert.AreEqual(17, family.ObservationSpace.Size, name);
            Assert.AreEqual(6, family.ActionSpace.Size, name);
            using var env = family.CreateEnvironment(family.SampleTask(new RandomStream(1)), 3);
            var traj = EnvironmentHarness.Run(env, 250, EnvironmentHarness.RandomPolicy(family.ActionSpace, 4));
            Assert.AreEqual(200, traj.Steps.Count, name);
            Assert.IsTrue(traj.Steps[^1].Truncated && !traj.Steps[^1].Terminated, name);
            Assert.IsTrue(traj.Steps.Take(199).All(s => !s.Done), name);
        }
    }

    [TestMethod]
    public void Velocity_reward_is_minus_the_speed_error_minus_the_control_cost()
    {
        var family = new HalfCheetahVel();
        var task = Task(family, 0.5); // goal 3.5 m/s
        Assert.AreEqual(3.5, task["goal_velocity"], 1e-12);
        using var env = (HalfCheetahEnvironment)family.CreateEnvironment(task, 7);
        var obs = new float[17];
        env.Reset(obs);
        for (int t = 0; t < 20; t++)
        {
            var a = Gait(t);
            double before = env.X;
            var r = env.Step(a, obs);
            double v = (env.X - before) / env.Dt;
            double cost = 0.05 * a.Sum(x => (double)x * x);
            Assert.AreEqual(-Math.Abs(v - 3.5) - cost, r.Reward, 1e-9, $"step {t}");
        }
        Assert.AreEqual(0.05, env.Dt, 1e-12);
    }

    [TestMethod]
    public void Forward_backward_reward_flips_sign_with_the_direction()
    {
        var family = new HalfCheetahFwdBack();
        var forward = Task(family, 1);
        var backward = Task(family, 0);
        Assert.AreEqual(1.0, forward["direction"]);
        Assert.AreEqual(-1.0, backward["direction"]);
        using var a = family.CreateEnvironment(forward, 5);
        using var b = family.CreateEnvironment(backward, 5);
        var ra = EnvironmentHarness.Run(a, 30, Gait).Steps.Select(s => s.Reward).ToArray();
        var rb = EnvironmentHarness.Run(b, 30, Gait).Steps.Select(s => s.Reward).ToArray();
        for (int t = 0; t < 30; t++)
        {
            double cost = 0.05 * Gait(t).Sum(x => (double)x * x);
            Assert.AreEqual(-(ra[t] + cost), rb[t] + cost, 1e-9, $"step {t}: same motion, opposite direction");
        }
    }

    [TestMethod]
    public void Observation_is_qpos_without_x_then_qvel()
    {
        var family = new HalfCheetahMass();
        using var env = (HalfCheetahEnvironment)family.CreateEnvironment(Task(family, 0.5), 1);
        var obs = new float[17];
        env.Reset(obs);
        // Initial-state noise: qpos within ±0.1 of qpos0, which is all zeros (rootz counts from the
        // start height 0.7, as in gym's model), so every position in the observation is within ±0.1.
        for (int i = 0; i < 8; i++) Assert.IsTrue(Math.Abs(obs[i]) <= 0.1 + 1e-6, $"position {i}: {obs[i]}");
        Assert.IsTrue(obs.Take(8).Any(v => Math.Abs(v) > 1e-3), "the noise moved the start state");
    }

    [TestMethod]
    public void Heavier_cheetahs_move_their_joints_slower_under_the_same_controls()
    {
        // One control period from the same start state (same seed) under the same torques: the joint
        // velocities change less the heavier the body. (Over a long open-loop gait the comparison
        // also depends on contacts and joint limits, so it is made on the first step.)
        var family = new HalfCheetahMass();
        double MeanJointSpeedChange(double u)
        {
            using var env = family.CreateEnvironment(Task(family, u), 11);
            var obs = new float[17];
            env.Reset(obs);
            var before = obs.Skip(11).Take(6).ToArray(); // observation 8..16 is qvel; 11..16 the six actuated joints
            env.Step([1f, -1f, 1f, -1f, 1f, -1f], obs);
            return obs.Skip(11).Take(6).Zip(before, (a, b) => Math.Abs(a - b)).Average();
        }
        double light = MeanJointSpeedChange(0.0), nominal = MeanJointSpeedChange(0.5), heavy = MeanJointSpeedChange(1.0);
        Assert.AreEqual(0.5, Task(family, 0.0)["mass_factor"], 1e-12);
        Assert.AreEqual(2.0, Task(family, 1.0)["mass_factor"], 1e-12);
        Assert.IsTrue(light > 1.05 * nominal && nominal > 1.05 * heavy,
            $"mean joint speed changes light {light:F3}, nominal {nominal:F3}, heavy {heavy:F3} rad/s should fall with mass");
    }

    [TestMethod]
    public void Body_factors_each_change_the_dynamics()
    {
        var family = new HalfCheetahBody();
        float[] Final(params double[] latent)
        {
            using var env = family.CreateEnvironment(Task(family, latent), 2);
            return EnvironmentHarness.Run(env, 60, Gait).Observations[^1];
        }
        var nominal = Final(0.5, 0.5, 0.5);
        foreach (var changed in new[] { new[] { 1.0, 0.5, 0.5 }, new[] { 0.5, 1.0, 0.5 }, new[] { 0.5, 0.5, 1.0 } })
        {
            var other = Final(changed);
            double diff = nominal.Zip(other, (x, y) => Math.Abs(x - y)).Max();
            Assert.IsTrue(diff > 1e-3, $"latent [{string.Join(", ", changed)}] should change the trajectory (max diff {diff})");
        }
    }

    [TestMethod]
    public void Same_task_and_seed_give_the_same_trajectory_and_seeds_differ()
    {
        var family = new HalfCheetahVel();
        var task = Task(family, 0.3);
        var policy = () => EnvironmentHarness.RandomPolicy(family.ActionSpace, 9);
        using var a = family.CreateEnvironment(task, 42);
        using var b = family.CreateEnvironment(task, 42);
        using var c = family.CreateEnvironment(task, 43);
        var ta = EnvironmentHarness.Run(a, 80, policy());
        EnvironmentHarness.AssertSame(ta, EnvironmentHarness.Run(b, 80, policy()));
        CollectionAssert.AreNotEqual(ta.Observations[0], EnvironmentHarness.Run(c, 80, policy()).Observations[0]);
    }

    [TestMethod]
    public void Batch_results_do_not_depend_on_the_thread_count()
    {
        var family = new HalfCheetahBody();
        var tasks = family.FixedTaskSet(8, seed: 5);
        (float[] Obs, double[] Rewards) Run(int threads)
        {
            using var batch = new EnvironmentBatch(tasks.Select((t, i) => family.CreateEnvironment(t, (ulong)i)).ToList(), 6, threads);
            var obs = new float[8 * 17];
            var actions = new float[8 * 6];
            var results = new StepResult[8];
            var rewards = new List<double>();
            var rng = new RandomStream(3);
            batch.Reset(obs);
            for (int t = 0; t < 40; t++)
            {
                for (int i = 0; i < actions.Length; i++) actions[i] = (float)rng.NextUniform(-1, 1);
                batch.Step(actions, obs, results);
                rewards.AddRange(results.Select(r => r.Reward));
            }
            return (obs, rewards.ToArray());
        }
        var one = Run(1);
        var two = Run(2);
        CollectionAssert.AreEqual(one.Obs, two.Obs);
        CollectionAssert.AreEqual(one.Rewards, two.Rewards);
    }

    [TestMethod]
    public void Saved_state_restored_into_a_fresh_environment_continues_identically()
    {
        var family = new HalfCheetahMass();
        var task = Task(family, 0.8);
        var policy = EnvironmentHarness.RandomPolicy(family.ActionSpace, 77);
        var actions = Enumerable.Range(0, 60).Select(policy).ToList();
        using var a = family.CreateEnvironment(task, 1);
        EnvironmentHarness.Run(a, 30, t => actions[t]);
        var saved = a.SaveState();
        var continued = EnvironmentHarness.Run(a, 30, t => actions[30 + t], reset: false);
        using var b = family.CreateEnvironment(task, 999);
        b.RestoreState(saved);
        Assert.AreEqual(30, b.StepIndex);
        var resumed = EnvironmentHarness.Run(b, 30, t => actions[30 + t], reset: false);
        EnvironmentHarness.AssertSame(continued, resumed);
        // The environment's random stream is part of the state: the next reset matches too.
        var obsA = new float[17];
        var obsB = new float[17];
        a.Reset(obsA);
        b.Reset(obsB);
        CollectionAssert.AreEqual(obsA, obsB);
    }

    [TestMethod]
    public void Diverged_physics_ends_the_episode_without_reward()
    {
        var family = new HalfCheetahVel();
        using var env = family.CreateEnvironment(Task(family, 0.5), 1);
        var obs = new float[17];
        env.Reset(obs);
        env.Step(new float[6], obs);
        // Corrupt the saved simulation state: velocities of 1e300 are what a blown-up integrator leaves.
        var state = env.SaveState();
        int header = 4 + RandomStream.StateSize + 4;
        int firstQvel = header + 8 * (1 + 9);
        for (int i = 0; i < 9; i++) BitConverter.TryWriteBytes(state.AsSpan(firstQvel + 8 * i, 8), 1e300);
        env.RestoreState(state);
        var r = env.Step(new float[6], obs);
        Assert.IsTrue(r.BadPhysics, "bad physics reported");
        Assert.IsTrue(r.Terminated && r.Done);
        Assert.AreEqual(0.0, r.Reward);
    }

    [TestMethod]
    public void Corrupt_environment_state_is_rejected_and_the_environment_is_unchanged()
    {
        var family = new HalfCheetahVel();
        using var env = family.CreateEnvironment(Task(family, 0.5), 1);
        var obs = new float[17];
        env.Reset(obs);
        var saved = env.SaveState();
        Assert.ThrowsExactly<InvalidDataException>(() => env.RestoreState(saved.AsSpan(0, saved.Length - 5)));
        CollectionAssert.AreEqual(saved, env.SaveState());
    }
}
