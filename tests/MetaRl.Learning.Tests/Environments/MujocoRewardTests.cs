using MetaRl.Learning.Environments;
using MetaRl.Learning.Environments.HalfCheetah;
using MetaRl.Learning.Environments.Locomotion;
using MetaRl.Learning.Environments.MuJoCo;

namespace MetaRl.Learning.Tests.Environments;

/// <summary>
/// Every MuJoCo family's reward terms on hand-built states. A robot put in the air with zero joint
/// velocities and zero controls moves as one rigid body: gravity changes only its height, so its
/// horizontal velocity is exactly the one it was given and the reward is known in closed form.
/// A second step with a known action checks the control cost against the measured motion.
/// </summary>
[TestClass]
public sealed class MujocoRewardTests
{
    private static (MujocoEnvironment Env, float[] Obs) Build(IRlTaskFamily family, double[] latent, string modelFile, Action<double[], double[]> edit)
    {
        var env = (MujocoEnvironment)family.CreateEnvironment(family.TaskAt(latent), 1);
        var obs = new float[env.ObservationSize];
        env.Reset(obs);
        var template = MujocoModels.Template(modelFile);
        var qpos = template.Field(ModelField.Qpos0).ToArray();
        var qvel = new double[template.VelocityCount];
        edit(qpos, qvel);
        env.SetPhysicsState(qpos, qvel, obs);
        return (env, obs);
    }

    private static double Squared(float[] a) => a.Sum(v => (double)v * v);

    // ---- half-cheetah: the torso 3 m above its start, running at 2.5 m/s ----------------------------

    private static (MujocoEnvironment, float[]) FlyingCheetah(IRlTaskFamily family, params double[] latent) =>
        Build(family, latent, "half_cheetah.xml", (q, v) => { q[0] = 1.0; q[1] = 3.0; v[0] = 2.5; });

    [TestMethod]
    [DataRow("HalfCheetah-Vel", new[] { 0.5 }, -1.0)]              // −|2.5 − 3.5|
    [DataRow("HalfCheetah-Mass", new[] { 1.0 }, 2.5)]              // v, any mass
    [DataRow("HalfCheetah-Body", new[] { 0.2, 0.9, 0.7 }, 2.5)]    // v, any body
    [DataRow("HalfCheetah-Fwd-Back", new[] { 0.0 }, -2.5)]         // direction −1
    public void Half_cheetah_rewards_on_a_flying_torso(string name, double[] latent, double expected)
    {
        var family = TaskFamilies.CreateRl(name);
        var (env, obs) = FlyingCheetah(family, latent);
        using (env)
        {
            var hc = (HalfCheetahEnvironment)env;
            Assert.AreEqual(1.0, hc.X, 1e-12);
            var r = env.Step(new float[6], obs);
            Assert.AreEqual(1.0 + 2.5 * 0.05, hc.X, 1e-12, "moved 2.5 m/s × 0.05 s");
            Assert.AreEqual(expected, r.Reward, 1e-9);
            Assert.IsFalse(r.Terminated);
        }
        // With torques the legs push the torso around; the reward is the same function of the measured
        // velocity, less 0.05·‖a‖² (the papers' 0.5·0.1).
        var (env2, obs2) = FlyingCheetah(family, latent);
        using (env2)
        {
            var hc = (HalfCheetahEnvironment)env2;
            float[] a = [0.5f, -0.5f, 0.25f, 1f, -1f, 0f];
            double x0 = hc.X;
            var r = env2.Step(a, obs2);
            double v = (hc.X - x0) / 0.05;
            Assert.AreNotEqual(2.5, v, 1e-3, "the torques changed the torso's velocity");
            var task = family.TaskAt(latent);
            double velocityTerm = name switch
            {
                "HalfCheetah-Vel" => -Math.Abs(v - task["goal_velocity"]),
                "HalfCheetah-Fwd-Back" => task["direction"] * v,
                _ => v,
            };
            Assert.AreEqual(velocityTerm - 0.05 * Squared(a), r.Reward, 1e-9);
        }
    }

    // ---- ant: torso in the air (legs clear of the floor), moving at (2, 0) m/s ----------------------

    [TestMethod]
    public void Ant_fwd_back_pays_direction_times_velocity_plus_the_healthy_bonus_and_ends_above_one_metre()
    {
        foreach (var (u, direction) in new[] { (1.0, 1.0), (0.0, -1.0) })
        {
            var family = new AntFwdBack();
            var (env, obs) = Build(family, [u], "ant.xml", (q, v) => { q[2] = 0.9; v[0] = 2.0; });
            using (env)
            {
                var r = env.Step(new float[8], obs);
                // RK4 leaves the body frames at the last stage, the end of the step: the velocity is exact.
                Assert.AreEqual(direction * 2.0 + 1.0, r.Reward, 1e-9, $"direction {direction}");
                Assert.AreEqual(0.0, obs.Skip(111 - 84).Sum(f => Math.Abs(f)), "no contact in the air");
                Assert.IsFalse(r.Terminated);
            }
        }
        var family2 = new AntFwdBack();
        var (high, obsHigh) = Build(family2, [1.0], "ant.xml", (q, v) => { q[2] = 1.5; v[0] = 2.0; });
        using (high)
        {
            var r = high.Step(new float[8], obsHigh);
            Assert.IsTrue(r.Terminated, "torso above 1.0 m is unhealthy");
            Assert.AreEqual(3.0, r.Reward, 1e-9, "the terminating step still pays the healthy bonus (gym v3)");
        }
        var (acting, obsActing) = Build(family2, [1.0], "ant.xml", (q, v) => { q[2] = 0.9; v[0] = 2.0; });
        using (acting)
        {
            var loco = (LocomotionEnvironment)acting;
            float[] a = [1f, -1f, 0.5f, 0.5f, -0.5f, 0f, 0.25f, 1f];
            var (x0, _) = loco.Position;
            var r = acting.Step(a, obsActing);
            double v = (loco.Position.X - x0) / 0.05;
            Assert.AreEqual(v + 1.0 - 0.5 * Squared(a), r.Reward, 1e-9);
        }
    }

    [TestMethod]
    public void Ant_goal_pays_minus_the_l1_distance_and_never_ends()
    {
        var family = new AntGoal2D(); // latent (1, 0.25): goal (0, 3)
        var (env, obs) = Build(family, [1.0, 0.25], "ant.xml", (q, v) => { q[0] = 1.0; q[1] = 1.0; q[2] = 1.5; });
        using (env)
        {
            Assert.AreEqual(1.0, obs[0], 1e-7, "x is observed");
            Assert.AreEqual(1.0, obs[1], 1e-7, "y is observed");
            var r = env.Step(new float[8], obs);
            Assert.AreEqual(-(1.0 + 2.0), r.Reward, 1e-9);
            Assert.IsFalse(r.Terminated, "no healthy range in the goal task");
            float[] a = [0.5f, 0.5f, 0.5f, 0.5f, 0.5f, 0.5f, 0.5f, 0.5f];
            r = env.Step(a, obs);
            var (x, y) = ((LocomotionEnvironment)env).Position;
            Assert.AreEqual(-(Math.Abs(x) + Math.Abs(y - 3.0)) - 0.1 * Squared(a), r.Reward, 1e-9);
        }
    }

    // ---- walker: lifted 0.25 m (feet clear), moving at 1.5 m/s ------------------------------------

    [TestMethod]
    public void Walker_pays_velocity_plus_the_healthy_bonus_and_ends_when_tilted()
    {
        var family = new WalkerParams();
        var half = Enumerable.Repeat(0.5, 27).ToArray();
        var (env, obs) = Build(family, half, "walker2d.xml", (q, v) => { q[1] = 1.5; v[0] = 1.5; });
        using (env)
        {
            var r = env.Step(new float[6], obs);
            Assert.AreEqual(1.5 + 1.0, r.Reward, 1e-9);
            Assert.IsFalse(r.Terminated);
            float[] a = [1f, -1f, 0.5f, -0.5f, 0.25f, 0f];
            var x0 = ((LocomotionEnvironment)env).Position.X;
            r = env.Step(a, obs);
            double v = (((LocomotionEnvironment)env).Position.X - x0) / 0.008;
            Assert.AreEqual(v + 1.0 - 1e-3 * Squared(a), r.Reward, 1e-9);
        }
        var (tilted, obsTilted) = Build(family, half, "walker2d.xml", (q, v) => { q[1] = 1.5; q[2] = 1.2; v[0] = 1.5; });
        using (tilted)
        {
            var r = tilted.Step(new float[6], obsTilted);
            Assert.IsTrue(r.Terminated, "pitch beyond 1 rad ends the episode");
            Assert.AreEqual(2.5, r.Reward, 1e-9);
        }
    }

    // ---- humanoid: airborne at its start height, centre of mass moving at (1, 0) or (1, 1) m/s -------

    [TestMethod]
    [DataRow("Humanoid-Vel", 0.4, 0.0)]    // goal 1 m/s
    [DataRow("Humanoid-Mass", 0.5, 0.0)]
    [DataRow("Humanoid-Dir-2D", 0.125, 1.0)] // 45°
    public void Humanoid_rewards_follow_the_centre_of_mass(string name, double u, double vy)
    {
        var family = TaskFamilies.CreateRl(name);
        var (env, obs) = Build(family, [u], "humanoid.xml", (q, v) => { v[0] = 1.0; v[1] = vy; });
        using (env)
        {
            // Like gym, the centre of mass is read as mj_step leaves the body frames; with RK4 that is the
            // last stage, evaluated at the end of the step, so the measured velocity is the true one. (qpos0 has
            // the knees outside their range, -160..-2 deg, so limit forces bend them in flight; internal
            // forces keep the centre of mass's velocity, up to the integrator's error: hence 1e-6.)
            double Expected(double fraction) => name switch
            {
                "Humanoid-Vel" => 5 - 1.25 * Math.Abs(fraction * 1.0 - 1.0),
                "Humanoid-Mass" => 5 + 1.25 * fraction * 1.0,
                _ => 5 + 1.25 * fraction * (1.0 * Math.Cos(Math.PI / 4) + vy * Math.Sin(Math.PI / 4)),
            };
            var r = env.Step(new float[17], obs);
            Assert.AreEqual(Expected(1.0), r.Reward, 1e-6, $"first step: reward {r.Reward:R}");
            Assert.AreEqual(0.0, obs.Skip(376 - 84).Sum(f => Math.Abs(f)), "no contact in the air");
            r = env.Step(new float[17], obs);
            Assert.AreEqual(Expected(1.0), r.Reward, 1e-6, $"second step: reward {r.Reward:R}");
            Assert.IsFalse(r.Terminated);

            float[] a = Enumerable.Range(0, 17).Select(i => 0.4f * (i % 3 - 1)).ToArray();
            var loco = (LocomotionEnvironment)env;
            var (x0, y0) = loco.Position;
            r = env.Step(a, obs);
            var (x1, y1) = loco.Position;
            double vx = (x1 - x0) / 0.015, vyMeasured = (y1 - y0) / 0.015;
            var task = family.TaskAt([u]);
            double forward = name switch
            {
                "Humanoid-Vel" => -1.25 * Math.Abs(vx - task["goal_velocity"]),
                "Humanoid-Mass" => 1.25 * vx,
                _ => 1.25 * (vx * Math.Cos(task["direction_angle"]) + vyMeasured * Math.Sin(task["direction_angle"])),
            };
            Assert.AreEqual(5 + forward - 0.1 * Squared(a), r.Reward, 1e-9, "with torques: control cost 0.1‖a‖²");
        }
        var (high, obsHigh) = Build(family, [u], "humanoid.xml", (q, v) => { q[2] = 2.5; });
        using (high)
        {
            var r = high.Step(new float[17], obsHigh);
            Assert.IsTrue(r.Terminated, "root above 2 m is unhealthy");
            Assert.AreEqual(name == "Humanoid-Vel" ? 5 - 1.25 : 5.0, r.Reward, 1e-6, "the bonus is still paid on the last step");
        }
    }
}
