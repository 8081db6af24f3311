using MetaRl.Learning.Common;
using MetaRl.Learning.Environments;
using MetaRl.Learning.Environments.Locomotion;

namespace MetaRl.Learning.Tests.Environments;

[TestClass]
public sealed class LocomotionTests
{
    public static IEnumerable<object[]> MujocoFamilies =>
        new[] { "HalfCheetah-Vel", "HalfCheetah-Mass", "HalfCheetah-Body", "HalfCheetah-Fwd-Back", "Ant-Goal-2D", "Ant-Fwd-Back", "Walker-2D-Params", "Humanoid-Vel", "Humanoid-Mass", "Humanoid-Dir-2D" }
            .Select(n => new object[] { n });

    [TestMethod]
    [DataRow("Ant-Goal-2D", 113, 8, 1.0)]
    [DataRow("Ant-Fwd-Back", 111, 8, 1.0)]
    [DataRow("Walker-2D-Params", 17, 6, 1.0)]
    [DataRow("Humanoid-Vel", 376, 17, 0.4)]
    [DataRow("Humanoid-Mass", 376, 17, 0.4)]
    [DataRow("Humanoid-Dir-2D", 376, 17, 0.4)]
    public void Family_has_the_documented_spaces_and_horizon(string name, int observation, int action, double bound)
    {
        var family = TaskFamilies.CreateRl(name);
        Assert.AreEqual(observation, family.ObservationSpace.Size);
        Assert.AreEqual(action, family.ActionSpace.Size);
        var box = (BoxSpace)family.ActionSpace;
        Assert.IsTrue(box.Low.All(l => l == -bound) && box.High.All(h => h == bound), $"actions in ±{bound} (the motors' control range)");
        Assert.AreEqual(200, family.Horizon);
        FamilyHarness.AssertSpacesMatch(family, family.SampleTask(new RandomStream(2)));
    }

    [TestMethod]
    [DynamicData(nameof(MujocoFamilies))]
    public void Same_task_and_seed_reproduce_and_save_restore_continues_exactly(string name)
    {
        var family = TaskFamilies.CreateRl(name);
        var task = family.SampleTask(new RandomStream(3));
        FamilyHarness.AssertDeterministic(family, task, 60);
        FamilyHarness.AssertSaveRestoreContinues(family, task, 25, 25);
    }

    [TestMethod]
    [DynamicData(nameof(MujocoFamilies))]
    public void Batch_results_do_not_depend_on_the_thread_count(string name) =>
        FamilyHarness.AssertBatchIndependentOfThreads(TaskFamilies.CreateRl(name), 30);

    private static (LocomotionEnvironment Env, float[] Obs) Start(IRlTaskFamily family, params double[] latent)
    {
        var env = (LocomotionEnvironment)family.CreateEnvironment(family.TaskAt(latent), 5);
        var obs = new float[env.ObservationSize];
        env.Reset(obs);
        return (env, obs);
    }

    private static float[] Wave(int t, int n) => Enumerable.Range(0, n).Select(j => (float)Math.Sin(0.7 * t + j)).ToArray();

    /// <summary>Σ of the squared clipped contact forces, read back from the observation's last 84 values.</summary>
    private static double ContactSquared(float[] obs) => obs.Skip(obs.Length - 84).Sum(v => (double)v * v);

    [TestMethod]
    public void Ant_goal_reward_is_minus_the_l1_distance_minus_control_and_contact_costs()
    {
        var family = new AntGoal2D();
        var task = family.TaskAt([1.0, 0.25]); // radius 3, angle π/2 → goal (0, 3)
        Assert.AreEqual(0.0, task["goal_x"], 1e-12);
        Assert.AreEqual(3.0, task["goal_y"], 1e-12);
        var (env, obs) = Start(family, 1.0, 0.25);
        using (env)
        {
            bool touched = false;
            for (int t = 0; t < 30; t++)
            {
                var a = Wave(t, 8);
                var r = env.Step(a, obs);
                var (x, y) = env.Position;
                double contact = ContactSquared(obs);
                touched |= contact > 0;
                Assert.AreEqual(-(Math.Abs(x) + Math.Abs(y - 3)) - 0.1 * a.Sum(v => (double)v * v) - 5e-4 * contact, r.Reward, 1e-6, $"step {t}");
                Assert.IsFalse(r.Terminated, "the goal task never ends early");
                Assert.AreEqual(x, obs[0], 0.1, "the observation starts with the torso's x");
            }
            Assert.IsTrue(touched, "the ant reached the floor, so the contact cost was exercised");
        }
    }

    [TestMethod]
    public void Ant_goals_cover_the_disc_uniformly()
    {
        var family = new AntGoal2D();
        var rng = new RandomStream(8);
        var goals = Enumerable.Range(0, 20000).Select(_ => family.SampleTask(rng)).Select(t => Math.Sqrt(t["goal_x"] * t["goal_x"] + t["goal_y"] * t["goal_y"])).ToList();
        Assert.IsTrue(goals.All(r => r <= 3.0 + 1e-12));
        Assert.AreEqual(0.25, goals.Count(r => r < 1.5) / 20000.0, 0.015, "a quarter of the area lies within half the radius");
    }

    [TestMethod]
    public void Ant_forward_backward_reward_flips_the_velocity_term()
    {
        var family = new AntFwdBack();
        var (fwd, obsF) = Start(family, 1);
        var (back, obsB) = Start(family, 0);
        using (fwd)
        using (back)
        {
            for (int t = 0; t < 20; t++)
            {
                var a = Wave(t, 8);
                var rf = fwd.Step(a, obsF).Reward;
                var rb = back.Step(a, obsB).Reward;
                double cost = 0.5 * a.Sum(v => (double)v * v) + 5e-4 * ContactSquared(obsF);
                Assert.AreEqual(rf - 1 + cost, -(rb - 1 + cost), 1e-6, "same motion, opposite direction");
            }
        }
    }

    [TestMethod]
    public void Walker_without_control_falls_and_the_episode_ends()
    {
        var family = new WalkerParams();
        var (env, obs) = Start(family, Enumerable.Repeat(0.5, 27).ToArray());
        using (env)
        {
            StepResult r = default;
            int t = 0;
            for (; t < 200 && !r.Done; t++) r = env.Step(new float[6], obs);
            Assert.IsTrue(r.Terminated && !r.Truncated && !r.BadPhysics, "terminated by falling");
            Assert.IsTrue(t < 200);
            Assert.IsTrue(env.Height <= 0.8 || Math.Abs(obs[1]) >= 1.0, $"height {env.Height}, pitch {obs[1]}");
        }
    }

    [TestMethod]
    public void Walker_reward_is_velocity_plus_alive_bonus_minus_control_cost()
    {
        var family = new WalkerParams();
        var (env, obs) = Start(family, Enumerable.Repeat(0.5, 27).ToArray());
        using (env)
        {
            for (int t = 0; t < 10; t++)
            {
                var a = Wave(t, 6);
                double before = env.Position.X;
                var r = env.Step(a, obs);
                double v = (env.Position.X - before) / env.Dt;
                Assert.AreEqual(v + 1 - 1e-3 * a.Sum(x => (double)x * x), r.Reward, 1e-9);
            }
        }
    }

    [TestMethod]
    public void Walker_parameters_each_change_the_dynamics()
    {
        var family = new WalkerParams();
        float[] Final(double[] latent)
        {
            var (env, obs) = Start(family, latent);
            using (env)
                for (int t = 0; t < 40; t++)
                    if (env.Step(Wave(t, 6), obs).Done) break;
            return obs;
        }
        var nominal = Final(Enumerable.Repeat(0.5, 27).ToArray());
        foreach (var index in new[] { 1, 8, 14, 23 }) // thigh mass, thigh inertia, thigh joint damping, foot friction
        {
            var latent = Enumerable.Repeat(0.5, 27).ToArray();
            latent[index] = 1.0;
            var changed = Final(latent);
            Assert.IsTrue(nominal.Zip(changed, (a, b) => Math.Abs(a - b)).Max() > 1e-4, $"{family.ParameterNames[index]} should change the trajectory");
        }
        Assert.AreEqual(Math.Pow(1.5, 3), family.TaskAt(Enumerable.Repeat(1.0, 27).ToArray()).Parameters[0], 1e-12);
        Assert.AreEqual(Math.Pow(1.5, -3), family.TaskAt(new double[27]).Parameters[0], 1e-12);
    }

    [TestMethod]
    public void Humanoid_falls_without_control_and_the_episode_ends()
    {
        var family = new HumanoidMass();
        var (env, obs) = Start(family, 0.5);
        using (env)
        {
            StepResult r = default;
            for (int t = 0; t < 200 && !r.Done; t++) r = env.Step(new float[17], obs);
            Assert.IsTrue(r.Terminated && !r.BadPhysics);
            Assert.IsTrue(env.Height <= 1.0);
        }
    }

    [TestMethod]
    public void Humanoid_direction_reward_projects_the_centre_of_mass_velocity()
    {
        var family = new HumanoidDir2D();
        var (env, obs) = Start(family, 0.125); // 45°
        using (env)
        {
            for (int t = 0; t < 10; t++)
            {
                var a = Wave(t, 17).Select(v => 0.4f * v).ToArray(); // inside the ±0.4 control range
                var (x0, y0) = env.Position;
                var r = env.Step(a, obs);
                var (x1, y1) = env.Position;
                double along = ((x1 - x0) * Math.Cos(Math.PI / 4) + (y1 - y0) * Math.Sin(Math.PI / 4)) / env.Dt;
                double contact = Math.Min(5e-7 * ContactSquared(obs), 10);
                if (!r.Done) Assert.AreEqual(5 + 1.25 * along - 0.1 * a.Sum(v => (double)v * v) - contact, r.Reward, 1e-6);
            }
        }
    }

    [TestMethod]
    public void Humanoid_mass_changes_the_response_to_the_same_controls()
    {
        var family = new HumanoidMass();
        float[] Final(double u)
        {
            var (env, obs) = Start(family, u);
            using (env)
                for (int t = 0; t < 15; t++)
                    if (env.Step(Wave(t, 17), obs).Done) break;
            return obs;
        }
        var light = Final(0.0);
        var heavy = Final(1.0);
        Assert.IsTrue(light.Zip(heavy, (a, b) => Math.Abs(a - b)).Max() > 1e-2);
    }
}
