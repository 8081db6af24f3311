using MetaRl.Learning.Environments.MuJoCo;

namespace MetaRl.Learning.Tests.Environments;

/// <summary>The physics the environments stand on behaves like physics, and task edits change it as claimed.</summary>
[TestClass]
public sealed class MujocoPhysicsTests
{
    private const string Slider = """
        <mujoco><option timestep="0.001" gravity="0 0 -9.81"/>
          <worldbody>
            <body name="cart" pos="0 0 1"><joint name="x" type="slide" axis="1 0 0" damping="0"/><geom type="box" size="0.1 0.1 0.1" mass="2"/></body>
            <body name="ball" pos="5 0 10"><freejoint name="ball"/><geom type="sphere" size="0.1" mass="1"/></body>
          </worldbody>
          <actuator><motor joint="x" gear="1" ctrllimited="true" ctrlrange="-10 10"/></actuator>
        </mujoco>
        """;

    [TestMethod]
    public void A_free_body_falls_as_half_g_t_squared()
    {
        using var model = MjModel.LoadXml(Slider);
        using var sim = new MjSimulation(model);
        int z = model.JointQposAddress("ball") + 2;
        Assert.AreEqual(10.0, sim.Qpos[z], 1e-12);
        Assert.AreEqual(StepOutcome.Ok, sim.Step(1000)); // 1 s
        Assert.AreEqual(10.0 - 0.5 * 9.81, sim.Qpos[z], 0.02);
    }

    [TestMethod]
    public void The_same_force_accelerates_a_heavier_body_less()
    {
        static double VelocityAfterOneSecond(double massFactor)
        {
            using var model = MjModel.LoadXml(Slider);
            ModelEdits.ScaleAllMasses(model, massFactor);
            model.SetConst();
            using var sim = new MjSimulation(model);
            sim.Ctrl[0] = 4.0; // 4 N
            sim.Step(1000);
            return sim.Qvel[model.JointDofAddress("x")];
        }
        var light = VelocityAfterOneSecond(1.0);
        var heavy = VelocityAfterOneSecond(2.0);
        Assert.AreEqual(4.0 / 2.0, light, 0.01); // a = F/m, m = 2 kg
        Assert.AreEqual(2.0, light / heavy, 0.01);
    }

    [TestMethod]
    public void Damping_slows_a_swinging_joint()
    {
        static double SpeedAfter(double dampingFactor)
        {
            using var template = MjModel.LoadFile(MjModel.ShippedModelPath("pendulum.xml"));
            using var model = template.Copy();
            model.Field(ModelField.DofDamping)[0] = 0.5;
            ModelEdits.ScaleDamping(model, dampingFactor);
            model.SetConst();
            using var sim = new MjSimulation(model);
            sim.SetState([1.0], [0.0]);
            double peak = 0;
            for (int i = 0; i < 200; i++)
            {
                sim.Step(1);
                peak = Math.Max(peak, Math.Abs(sim.Qvel[0]));
            }
            return peak;
        }
        Assert.IsTrue(SpeedAfter(10.0) < 0.5 * SpeedAfter(1.0));
    }

    [TestMethod]
    public void Model_copies_are_independent()
    {
        using var template = MjModel.LoadXml(Slider);
        using var copy = template.Copy();
        ModelEdits.ScaleAllMasses(copy, 3.0);
        Assert.AreEqual(2.0, template.Field(ModelField.BodyMass)[template.Id(MjObject.Body, "cart")], 1e-12);
        Assert.AreEqual(6.0, copy.Field(ModelField.BodyMass)[copy.Id(MjObject.Body, "cart")], 1e-12);
    }

    [TestMethod]
    public void Stretching_a_geom_in_the_mjcf_gives_its_body_the_new_mass()
    {
        const string xml = """<mujoco><worldbody><body name="b"><geom name="c" type="capsule" fromto="0 0 0 1 0 0" size="0.05" density="1000"/></body></worldbody></mujoco>""";
        var doc = System.Xml.Linq.XDocument.Parse(xml);
        ModelEdits.StretchGeomXml(doc, "c", 2.0);
        using var original = MjModel.LoadXml(xml);
        using var stretched = MjModel.LoadXml(doc.ToString());
        int b = original.Id(MjObject.Body, "b");
        double r = 0.05, cylinder = Math.PI * r * r * 1000, caps = 4.0 / 3 * Math.PI * r * r * r * 1000;
        Assert.AreEqual(cylinder * 1 + caps, original.Field(ModelField.BodyMass)[b], 1e-9);
        Assert.AreEqual(cylinder * 2 + caps, stretched.Field(ModelField.BodyMass)[b], 1e-9);
        Assert.AreEqual(1.0, stretched.Field(ModelField.BodyIPos)[3 * b], 1e-9); // centre of mass moved to the new middle
    }

    [TestMethod]
    public void Full_state_round_trip_continues_bit_identically()
    {
        using var model = MjModel.LoadFile(MjModel.ShippedModelPath("half_cheetah.xml"));
        using var a = new MjSimulation(model);
        using var b = new MjSimulation(model);
        for (int i = 0; i < 6; i++) a.Ctrl[i] = 0.3 * (i % 3 - 1);
        a.Step(50);
        var state = a.GetFullState();
        b.SetFullState(state);
        a.Step(50);
        b.Step(50);
        CollectionAssert.AreEqual(a.Qpos.ToArray(), b.Qpos.ToArray());
        CollectionAssert.AreEqual(a.Qvel.ToArray(), b.Qvel.ToArray());
    }

    [TestMethod]
    public void Reading_body_frames_leaves_the_state_untouched()
    {
        // mj_kinematics renormalises free-joint quaternions in qpos; the shim must undo that, or a
        // restored humanoid drifts from an uninterrupted one in the last bits.
        using var model = MjModel.LoadFile(MjModel.ShippedModelPath("humanoid.xml"));
        using var sim = new MjSimulation(model);
        int q = model.JointQposAddress("root") + 3;
        var qpos = sim.Qpos;
        qpos[q] = 0.6; qpos[q + 1] = 0.1; qpos[q + 2] = 0.2; qpos[q + 3] = 0.3; // not unit
        var before = sim.Qpos.ToArray();
        sim.Kinematics();
        CollectionAssert.AreEqual(before, sim.Qpos.ToArray());
    }
}
