using MetaRl.Learning.Environments.MuJoCo;

namespace MetaRl.Learning.Tests.MuJoCo;

/// <summary>
/// Our humanoid.xml against the reference Humanoid model of the gym benchmark. The expected values
/// below are what MuJoCo 2.2.2 (Debian's libmujoco, the library our shim links) compiles from
/// openai/gym's gym/envs/mujoco/assets/humanoid.xml as of gym commit bc212954b (the asset's last change
/// 7978f4270 (the left hip_y range made equal to the right one)); they were printed by a scratch C
/// program (mj_loadXML, then mj_forward at qpos0 for the world centres of mass) that is not part of the
/// repository. Ours names the geoms after their bodies (gym: torso1, right_thigh1, right_uarm1, ...);
/// joint, body and actuator names and orders are gym's.
/// </summary>
[TestClass]
public sealed class HumanoidModelTests
{
    private static readonly ReferenceModel Reference = new()
    {
        Nq = 24, Nv = 23, Nu = 17, Nbody = 14, Njnt = 18, Ngeom = 18, Ntendon = 2,
        Timestep = 0.003,
        Integrator = MjIntegrator.RungeKutta4,
        Solver = 0,
        SolverIterations = 50,
        Qpos0 =
        [
            0.0, 0.0, 1.4, 1.0, 0.0, 0.0,
            0.0, 0.0, 0.0, 0.0, 0.0, 0.0,
            0.0, 0.0, 0.0, 0.0, 0.0, 0.0,
            0.0, 0.0, 0.0, 0.0, 0.0, 0.0,
        ],
        BodyMass =
        [
            0.0, 8.907462370478262, 2.261946710584651, 6.616194128460103, 4.751750928806242, 2.7556961671836424,
            1.7671458676442586, 4.751750928806242, 2.7556961671836424, 1.7671458676442586, 1.6610804848382084, 1.2295401928310803,
            1.6610804848382084, 1.2295401928310803,
        ],
        BodyInertia =
        [
            0.0, 0.0, 0.0,
            0.17324152504522802, 0.1540101405646645, 0.04111915493762297,
            0.00985303987130674, 0.00985303987130674, 0.003745783752728182,
            0.05231797918580651, 0.05231797918580651, 0.0243221474922391,
            0.07495165386519198, 0.07495165386519198, 0.008227431345527045,
            0.032608015464339946, 0.032608015464339946, 0.0031898902930933832,
            0.003976078202199582, 0.003976078202199582, 0.003976078202199582,
            0.07495165386519198, 0.07495165386519198, 0.008227431345527045,
            0.032608015464339946, 0.032608015464339946, 0.0031898902930933832,
            0.003976078202199582, 0.003976078202199582, 0.003976078202199582,
            0.015905542379591853, 0.015905542379591853, 0.0012859711761735542,
            0.013667228332107482, 0.01366722833210748, 0.0006215610823377795,
            0.015905542379591853, 0.015905542379591853, 0.0012859711761735542,
            0.013667228332107482, 0.01366722833210748, 0.0006215610823377797,
        ],
        BodyComWorld =
        [
            0.0, 0.0, 0.0,
            -0.0025393839642605218, 0.0, 1.434662591112156,
            -0.01, 0.0, 1.14,
            -0.029339362645109408, 0.0, 0.9748413219147072,
            -0.00766002279985504, -0.09499999999999999, 0.7650080399409602,
            -0.00459605956760992, -0.08999999999999998, 0.38202029584291264,
            -0.0029960787674819214, -0.08999999999999998, 0.182026695791713,
            -0.00766002279985504, 0.09499999999999999, 0.7650080399409602,
            -0.00459605956760992, 0.08999999999999998, 0.38202029584291264,
            -0.0029960787674819214, 0.08999999999999998, 0.182026695791713,
            0.08, -0.25, 1.38,
            0.2896231336887125, -0.2403768663112875, 1.3896231336887126,
            0.08, 0.25, 1.38,
            0.2896231336887125, 0.2403768663112875, 1.3896231336887126,
        ],
        JointLimited = [0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1],
        JointRange =
        [
            0.0, 0.0,
            -0.7853981633974483, 0.7853981633974483,
            -1.3089969389957472, 0.5235987755982988,
            -0.6108652381980153, 0.6108652381980153,
            -0.4363323129985824, 0.08726646259971647,
            -1.0471975511965976, 0.6108652381980153,
            -1.9198621771937625, 0.3490658503988659,
            -2.792526803190927, -0.03490658503988659,
            -0.4363323129985824, 0.08726646259971647,
            -1.0471975511965976, 0.6108652381980153,
            -1.9198621771937625, 0.3490658503988659,
            -2.792526803190927, -0.03490658503988659,
            -1.4835298641951802, 1.0471975511965976,
            -1.4835298641951802, 1.0471975511965976,
            -1.5707963267948966, 0.8726646259971648,
            -1.0471975511965976, 1.4835298641951802,
            -1.0471975511965976, 1.4835298641951802,
            -1.5707963267948966, 0.8726646259971648,
        ],
        JointStiffness = [0.0, 20.0, 10.0, 10.0, 10.0, 10.0, 20.0, 0.0, 10.0, 10.0, 20.0, 1.0, 1.0, 1.0, 0.0, 1.0, 1.0, 0.0],
        JointSolref = [0.02, 1.0, 0.02, 1.0, 0.02, 1.0, 0.02, 1.0, 0.02, 1.0, 0.02, 1.0, 0.02, 1.0, 0.02, 1.0, 0.02, 1.0, 0.02, 1.0, 0.02, 1.0, 0.02, 1.0, 0.02, 1.0, 0.02, 1.0, 0.02, 1.0, 0.02, 1.0, 0.02, 1.0, 0.02, 1.0],
        JointSolimp =
        [
            0.9, 0.95, 0.001, 0.5, 2.0,
            0.9, 0.95, 0.001, 0.5, 2.0,
            0.9, 0.95, 0.001, 0.5, 2.0,
            0.9, 0.95, 0.001, 0.5, 2.0,
            0.9, 0.95, 0.001, 0.5, 2.0,
            0.9, 0.95, 0.001, 0.5, 2.0,
            0.9, 0.95, 0.001, 0.5, 2.0,
            0.9, 0.95, 0.001, 0.5, 2.0,
            0.9, 0.95, 0.001, 0.5, 2.0,
            0.9, 0.95, 0.001, 0.5, 2.0,
            0.9, 0.95, 0.001, 0.5, 2.0,
            0.9, 0.95, 0.001, 0.5, 2.0,
            0.9, 0.95, 0.001, 0.5, 2.0,
            0.9, 0.95, 0.001, 0.5, 2.0,
            0.9, 0.95, 0.001, 0.5, 2.0,
            0.9, 0.95, 0.001, 0.5, 2.0,
            0.9, 0.95, 0.001, 0.5, 2.0,
            0.9, 0.95, 0.001, 0.5, 2.0,
        ],
        DofDamping = [0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 5.0, 5.0, 5.0, 5.0, 5.0, 5.0, 1.0, 5.0, 5.0, 5.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0],
        DofArmature = [0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.02, 0.02, 0.02, 0.01, 0.01, 0.008, 0.006, 0.01, 0.01, 0.01, 0.006, 0.0068, 0.0051, 0.0028, 0.0068, 0.0051, 0.0028],
        ActuatorGear = [100.0, 100.0, 100.0, 100.0, 100.0, 300.0, 200.0, 100.0, 100.0, 300.0, 200.0, 25.0, 25.0, 25.0, 25.0, 25.0, 25.0],
        ActuatorCtrlRange = [-0.4, 0.4, -0.4, 0.4, -0.4, 0.4, -0.4, 0.4, -0.4, 0.4, -0.4, 0.4, -0.4, 0.4, -0.4, 0.4, -0.4, 0.4, -0.4, 0.4, -0.4, 0.4, -0.4, 0.4, -0.4, 0.4, -0.4, 0.4, -0.4, 0.4, -0.4, 0.4, -0.4, 0.4],
        ActuatorJoint = [2, 1, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17],
        GeomContype = [1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1],
        GeomConaffinity = [1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1],
        GeomCondim = [3, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1],
        GeomFriction =
        [
            1.0, 0.1, 0.1,
            1.0, 0.005, 0.0001,
            1.0, 0.005, 0.0001,
            1.0, 0.005, 0.0001,
            1.0, 0.005, 0.0001,
            1.0, 0.005, 0.0001,
            1.0, 0.005, 0.0001,
            1.0, 0.005, 0.0001,
            1.0, 0.005, 0.0001,
            1.0, 0.005, 0.0001,
            1.0, 0.005, 0.0001,
            1.0, 0.005, 0.0001,
            1.0, 0.005, 0.0001,
            1.0, 0.005, 0.0001,
            1.0, 0.005, 0.0001,
            1.0, 0.005, 0.0001,
            1.0, 0.005, 0.0001,
            1.0, 0.005, 0.0001,
        ],
        GeomMargin = [0.001, 0.001, 0.001, 0.001, 0.001, 0.001, 0.001, 0.001, 0.001, 0.001, 0.001, 0.001, 0.001, 0.001, 0.001, 0.001, 0.001, 0.001],
        GeomSolref = [0.02, 1.0, 0.02, 1.0, 0.02, 1.0, 0.02, 1.0, 0.02, 1.0, 0.02, 1.0, 0.02, 1.0, 0.02, 1.0, 0.02, 1.0, 0.02, 1.0, 0.02, 1.0, 0.02, 1.0, 0.02, 1.0, 0.02, 1.0, 0.02, 1.0, 0.02, 1.0, 0.02, 1.0, 0.02, 1.0],
        GeomSolimp =
        [
            0.9, 0.95, 0.001, 0.5, 2.0,
            0.9, 0.95, 0.001, 0.5, 2.0,
            0.9, 0.95, 0.001, 0.5, 2.0,
            0.9, 0.95, 0.001, 0.5, 2.0,
            0.9, 0.95, 0.001, 0.5, 2.0,
            0.9, 0.95, 0.001, 0.5, 2.0,
            0.9, 0.95, 0.001, 0.5, 2.0,
            0.9, 0.95, 0.001, 0.5, 2.0,
            0.9, 0.95, 0.001, 0.5, 2.0,
            0.9, 0.95, 0.001, 0.5, 2.0,
            0.9, 0.95, 0.001, 0.5, 2.0,
            0.9, 0.95, 0.001, 0.5, 2.0,
            0.9, 0.95, 0.001, 0.5, 2.0,
            0.9, 0.95, 0.001, 0.5, 2.0,
            0.9, 0.95, 0.001, 0.5, 2.0,
            0.9, 0.95, 0.001, 0.5, 2.0,
            0.9, 0.95, 0.001, 0.5, 2.0,
            0.9, 0.95, 0.001, 0.5, 2.0,
        ],
    };

    [TestMethod]
    public void Compiled_model_matches_the_reference() => Reference.AssertMatches("humanoid.xml", relativeTolerance: 1e-12);

    [TestMethod]
    public void The_comparison_notices_a_changed_constant()
    {
        // The check must be able to fail: a reference with one body 1% heavier is not matched.
        var heavier = Reference.BodyMass.ToArray();
        heavier[1] *= 1.01;
        var altered = new ReferenceModel
        {
            Nq = Reference.Nq, Nv = Reference.Nv, Nu = Reference.Nu, Nbody = Reference.Nbody, Njnt = Reference.Njnt, Ngeom = Reference.Ngeom,
            Ntendon = Reference.Ntendon, Timestep = Reference.Timestep, Integrator = Reference.Integrator, Solver = Reference.Solver,
            SolverIterations = Reference.SolverIterations, Qpos0 = Reference.Qpos0, BodyMass = heavier, BodyInertia = Reference.BodyInertia,
            BodyComWorld = Reference.BodyComWorld, JointLimited = Reference.JointLimited, JointRange = Reference.JointRange,
            JointStiffness = Reference.JointStiffness, JointSolref = Reference.JointSolref, JointSolimp = Reference.JointSolimp,
            DofDamping = Reference.DofDamping, DofArmature = Reference.DofArmature, ActuatorGear = Reference.ActuatorGear,
            ActuatorCtrlRange = Reference.ActuatorCtrlRange, ActuatorJoint = Reference.ActuatorJoint, GeomContype = Reference.GeomContype,
            GeomConaffinity = Reference.GeomConaffinity, GeomCondim = Reference.GeomCondim, GeomFriction = Reference.GeomFriction,
            GeomMargin = Reference.GeomMargin, GeomSolref = Reference.GeomSolref, GeomSolimp = Reference.GeomSolimp,
        };
        var failure = Assert.ThrowsExactly<AssertFailedException>(() => altered.AssertMatches("humanoid.xml", relativeTolerance: 1e-12));
        StringAssert.Contains(failure.Message, "body_mass[1]");
    }
}
