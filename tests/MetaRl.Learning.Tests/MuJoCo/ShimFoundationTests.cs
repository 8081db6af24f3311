using MetaRl.Learning.Environments.MuJoCo;

namespace MetaRl.Learning.Tests.MuJoCo;

[TestClass]
public sealed class ShimFoundationTests
{
    [TestMethod]
    public void Shipped_pendulum_loads_and_swings_under_gravity()
    {
        using var model = MjModel.LoadFile(MjModel.ShippedModelPath("pendulum.xml"));
        Assert.AreEqual(1, model.PositionCount);
        Assert.AreEqual(1, model.ActuatorCount);
        using var sim = new MjSimulation(model);
        // Start displaced by 0.5 rad: gravity must pull it back towards the bottom.
        sim.SetState([0.5], [0.0]);
        Assert.AreEqual(StepOutcome.Ok, sim.Step([0.0], frameSkip: 10));
        var angle = sim.Positions()[0];
        var velocity = sim.Velocities()[0];
        Assert.IsTrue(angle < 0.5, $"angle {angle} should have decreased");
        Assert.IsTrue(velocity < 0, $"velocity {velocity} should point back to the bottom");
        Assert.AreEqual(0.1, sim.Time, 1e-9);
    }

    [TestMethod]
    public void Invalid_model_text_throws_with_MuJoCos_message()
    {
        var e = Assert.ThrowsExactly<MujocoException>(() => MjModel.LoadXml("<mujoco><worldbody><body><geom type='nonsense'/></body></worldbody></mujoco>"));
        StringAssert.Contains(e.Message, "nonsense");
    }

    [TestMethod]
    public void Missing_model_file_throws_instead_of_exiting()
    {
        var e = Assert.ThrowsExactly<MujocoException>(() => MjModel.LoadFile("/nonexistent/model.xml"));
        StringAssert.Contains(e.Message, "/nonexistent/model.xml");
    }

    [TestMethod]
    public void Engine_error_inside_mj_step_is_reported_and_the_process_survives()
    {
        // 30 free spheres with a tiny stack, flying towards one point: they load and step fine while
        // apart, then the pile-up makes mj_step run out of stack — a MuJoCo error whose default
        // handler would exit() the process.
        using var model = MjModel.LoadXml(PileUpModel(stack: 3000));
        using var sim = new MjSimulation(model);
        sim.SetState(sim.Positions(), ConvergingVelocities(model));
        var outcomes = Enumerable.Range(0, 100).Select(_ => sim.Step([], frameSkip: 1)).ToList();
        Assert.AreEqual(StepOutcome.Error, outcomes.Last(o => o != StepOutcome.Ok));
        StringAssert.Contains(MjSimulation.LastError, "Stack overflow");
        // The data was reset at the error; the same simulation steps on.
        Assert.AreEqual(StepOutcome.Ok, sim.Step([], frameSkip: 1));
    }

    [TestMethod]
    public void Engine_error_while_setting_a_state_becomes_a_MujocoException()
    {
        using var model = MjModel.LoadXml(PileUpModel(stack: 3000));
        using var sim = new MjSimulation(model);
        var q = sim.Positions();
        for (int i = 0; i < 30; i++) q[7 * i] = 0.001 * i; // all spheres on top of each other
        var e = Assert.ThrowsExactly<MujocoException>(() => sim.SetState(q, new double[model.VelocityCount]));
        StringAssert.Contains(e.Message, "Stack overflow");
    }

    private static string PileUpModel(int stack)
    {
        var bodies = string.Concat(Enumerable.Range(0, 30).Select(i => $"<body pos='{0.5 * i} 0 1'><freejoint/><geom size='0.1'/></body>"));
        return $"<mujoco><option gravity='0 0 0'/><size nstack='{stack}'/><worldbody>{bodies}</worldbody></mujoco>";
    }

    private static double[] ConvergingVelocities(MjModel model)
    {
        var v = new double[model.VelocityCount];
        for (int i = 0; i < 30; i++) v[6 * i] = -(0.5 * i - 7.25) * 10; // all meet at x = 7.25 after 0.1 s
        return v;
    }
}
