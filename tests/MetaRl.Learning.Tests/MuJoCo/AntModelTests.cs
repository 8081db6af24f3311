using MetaRl.Learning.Environments.MuJoCo;

namespace MetaRl.Learning.Tests.MuJoCo;

/// <summary>
/// Our ant.xml against the reference Ant model of the gym benchmark. The expected values below are what
/// MuJoCo 2.2.2 (Debian's libmujoco, the library our shim links) compiles from openai/gym's
/// gym/envs/mujoco/assets/ant.xml as of gym commit bc212954b (the asset's last change 3c8a68a0b (a
/// tracking camera was the last change)); they were printed by a scratch C program (mj_loadXML, then
/// mj_forward at qpos0 for the world centres of mass) that is not part of the repository. Ours gives
/// the legs names by position (front_left is gym's leg 1, back_left 2, back_right 3, front_right 4) and
/// keeps gym's body tree, joint order and actuator order, so every index lines up.
/// </summary>
[TestClass]
public sealed class AntModelTests
{
    private static readonly ReferenceModel Reference = new()
    {
        Nq = 15, Nv = 14, Nu = 8, Nbody = 14, Njnt = 9, Ngeom = 14, Ntendon = 0,
        Timestep = 0.01,
        Integrator = MjIntegrator.RungeKutta4,
        Solver = 2,
        SolverIterations = 100,
        Qpos0 =
        [
            0.0, 0.0, 0.75, 1.0, 0.0, 0.0,
            0.0, 0.0, 0.0, 0.0, 0.0, 0.0,
            0.0, 0.0, 0.0,
        ],
        BodyMass =
        [
            0.0, 0.32724923474893675, 0.03915775372846671, 0.03915775372846671, 0.06759220453268026, 0.03915775372846671,
            0.03915775372846671, 0.06759220453268026, 0.03915775372846671, 0.03915775372846671, 0.06759220453268026, 0.03915775372846671,
            0.03915775372846671, 0.06759220453268026,
        ],
        BodyInertia =
        [
            0.0, 0.0, 0.0,
            0.008181230868723419, 0.008181230868723419, 0.008181230868723419,
            0.0005679660831928001, 0.0005679660831928001, 0.00011844189805957145,
            0.0005679660831928001, 0.0005679660831928001, 0.00011844189805957145,
            0.0026747906600381815, 0.0026747906600381815, 0.00020943214063305483,
            0.0005679660831928001, 0.0005679660831928001, 0.00011844189805957145,
            0.0005679660831928001, 0.0005679660831928001, 0.00011844189805957145,
            0.0026747906600381815, 0.0026747906600381815, 0.00020943214063305483,
            0.0005679660831928001, 0.0005679660831928001, 0.00011844189805957145,
            0.0005679660831928001, 0.0005679660831928001, 0.00011844189805957145,
            0.0026747906600381815, 0.0026747906600381815, 0.00020943214063305483,
            0.0005679660831928001, 0.0005679660831928001, 0.00011844189805957145,
            0.0005679660831928001, 0.0005679660831928001, 0.00011844189805957145,
            0.0026747906600381815, 0.0026747906600381815, 0.00020943214063305483,
        ],
        BodyComWorld =
        [
            0.0, 0.0, 0.0,
            0.0, 0.0, 0.75,
            0.1, 0.1, 0.75,
            0.30000000000000004, 0.30000000000000004, 0.75,
            0.6000000000000001, 0.6000000000000001, 0.75,
            -0.1, 0.1, 0.75,
            -0.30000000000000004, 0.30000000000000004, 0.75,
            -0.6000000000000001, 0.6000000000000001, 0.75,
            -0.1, -0.1, 0.75,
            -0.30000000000000004, -0.30000000000000004, 0.75,
            -0.6000000000000001, -0.6000000000000001, 0.75,
            0.1, -0.1, 0.75,
            0.30000000000000004, -0.30000000000000004, 0.75,
            0.6000000000000001, -0.6000000000000001, 0.75,
        ],
        JointLimited = [0, 1, 1, 1, 1, 1, 1, 1, 1],
        JointRange =
        [
            0.0, 0.0,
            -0.5235987755982988, 0.5235987755982988,
            0.5235987755982988, 1.2217304763960306,
            -0.5235987755982988, 0.5235987755982988,
            -1.2217304763960306, -0.5235987755982988,
            -0.5235987755982988, 0.5235987755982988,
            -1.2217304763960306, -0.5235987755982988,
            -0.5235987755982988, 0.5235987755982988,
            0.5235987755982988, 1.2217304763960306,
        ],
        JointStiffness = [0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0],
        JointSolref = [0.02, 1.0, 0.02, 1.0, 0.02, 1.0, 0.02, 1.0, 0.02, 1.0, 0.02, 1.0, 0.02, 1.0, 0.02, 1.0, 0.02, 1.0],
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
        ],
        DofDamping = [0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0],
        DofArmature = [0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0],
        ActuatorGear = [150.0, 150.0, 150.0, 150.0, 150.0, 150.0, 150.0, 150.0],
        ActuatorCtrlRange = [-1.0, 1.0, -1.0, 1.0, -1.0, 1.0, -1.0, 1.0, -1.0, 1.0, -1.0, 1.0, -1.0, 1.0, -1.0, 1.0],
        ActuatorJoint = [7, 8, 1, 2, 3, 4, 5, 6],
        GeomContype = [1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1],
        GeomConaffinity = [1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0],
        GeomCondim = [3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3],
        GeomFriction =
        [
            1.0, 0.5, 0.5,
            1.0, 0.5, 0.5,
            1.0, 0.5, 0.5,
            1.0, 0.5, 0.5,
            1.0, 0.5, 0.5,
            1.0, 0.5, 0.5,
            1.0, 0.5, 0.5,
            1.0, 0.5, 0.5,
            1.0, 0.5, 0.5,
            1.0, 0.5, 0.5,
            1.0, 0.5, 0.5,
            1.0, 0.5, 0.5,
            1.0, 0.5, 0.5,
            1.0, 0.5, 0.5,
        ],
        GeomMargin = [0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01],
        GeomSolref = [0.02, 1.0, 0.02, 1.0, 0.02, 1.0, 0.02, 1.0, 0.02, 1.0, 0.02, 1.0, 0.02, 1.0, 0.02, 1.0, 0.02, 1.0, 0.02, 1.0, 0.02, 1.0, 0.02, 1.0, 0.02, 1.0, 0.02, 1.0],
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
        ],
    };

    [TestMethod]
    public void Compiled_model_matches_the_reference() => Reference.AssertMatches("ant.xml", relativeTolerance: 1e-12);

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
        var failure = Assert.ThrowsExactly<AssertFailedException>(() => altered.AssertMatches("ant.xml", relativeTolerance: 1e-12));
        StringAssert.Contains(failure.Message, "body_mass[1]");
    }
}
