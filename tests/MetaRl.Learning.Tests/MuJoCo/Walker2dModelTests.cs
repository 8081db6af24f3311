using MetaRl.Learning.Environments.MuJoCo;

namespace MetaRl.Learning.Tests.MuJoCo;

/// <summary>
/// Our walker2d.xml against the reference Walker2d model of the gym benchmark. The expected values
/// below are what MuJoCo 2.2.2 (Debian's libmujoco, the library our shim links) compiles from
/// openai/gym's gym/envs/mujoco/assets/walker2d.xml as of gym commit bc212954b (the asset's last change
/// 1b09a7eb0 (the foot body positions written without arithmetic)); they were printed by a scratch C
/// program (mj_loadXML, then mj_forward at qpos0 for the world centres of mass) that is not part of the
/// repository. The reference places its bodies in global coordinates; ours uses local ones with each
/// body frame at its joint, so the compiled body frames (body_pos, body_ipos, jnt_pos) differ and are
/// not listed: the centres of mass are compared in world coordinates at qpos0 instead.
/// </summary>
[TestClass]
public sealed class Walker2dModelTests
{
    private static readonly ReferenceModel Reference = new()
    {
        Nq = 9, Nv = 9, Nu = 6, Nbody = 8, Njnt = 9, Ngeom = 8, Ntendon = 0,
        Timestep = 0.002,
        Integrator = MjIntegrator.RungeKutta4,
        Solver = 2,
        SolverIterations = 100,
        Qpos0 =
        [
            0.0, 1.25, 0.0, 0.0, 0.0, 0.0,
            0.0, 0.0, 0.0,
        ],
        BodyMass =
        [
            0.0, 3.6651914291880923, 4.057890510886818, 2.7813566959781637, 3.1667253948185117, 4.057890510886818,
            2.7813566959781637, 3.1667253948185117,
        ],
        BodyInertia =
        [
            0.0, 0.0, 0.0,
            0.069245938072875, 0.069245938072875, 0.004450589592585541,
            0.09329875682692194, 0.09329875682692194, 0.004941463444708948,
            0.07230254017320971, 0.07230254017320971, 0.0021821921450855186,
            0.02399774663482943, 0.02399774663482943, 0.005374385384349131,
            0.09329875682692194, 0.09329875682692194, 0.004941463444708948,
            0.07230254017320971, 0.07230254017320971, 0.0021821921450855186,
            0.02399774663482943, 0.02399774663482943, 0.005374385384349131,
        ],
        BodyComWorld =
        [
            0.0, 0.0, 0.0,
            0.0, 0.0, 1.25,
            0.0, 0.0, 0.825,
            0.0, 0.0, 0.35,
            0.1, 0.0, 0.1,
            0.0, 0.0, 0.825,
            0.0, 0.0, 0.35,
            0.1, 0.0, 0.1,
        ],
        JointLimited = [0, 0, 0, 1, 1, 1, 1, 1, 1],
        JointRange =
        [
            0.0, 0.0,
            0.0, 0.0,
            0.0, 0.0,
            -2.6179938779914944, 0.0,
            -2.6179938779914944, 0.0,
            -0.7853981633974483, 0.7853981633974483,
            -2.6179938779914944, 0.0,
            -2.6179938779914944, 0.0,
            -0.7853981633974483, 0.7853981633974483,
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
        DofDamping = [0.0, 0.0, 0.0, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1],
        DofArmature = [0.0, 0.0, 0.0, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01],
        ActuatorGear = [100.0, 100.0, 100.0, 100.0, 100.0, 100.0],
        ActuatorCtrlRange = [-1.0, 1.0, -1.0, 1.0, -1.0, 1.0, -1.0, 1.0, -1.0, 1.0, -1.0, 1.0],
        ActuatorJoint = [3, 4, 5, 6, 7, 8],
        GeomContype = [1, 1, 1, 1, 1, 1, 1, 1],
        GeomConaffinity = [1, 0, 0, 0, 0, 0, 0, 0],
        GeomCondim = [3, 3, 3, 3, 3, 3, 3, 3],
        GeomFriction =
        [
            0.7, 0.1, 0.1,
            0.9, 0.1, 0.1,
            0.9, 0.1, 0.1,
            0.9, 0.1, 0.1,
            0.9, 0.1, 0.1,
            0.9, 0.1, 0.1,
            0.9, 0.1, 0.1,
            1.9, 0.1, 0.1,
        ],
        GeomMargin = [0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0],
        GeomSolref = [0.02, 1.0, 0.02, 1.0, 0.02, 1.0, 0.02, 1.0, 0.02, 1.0, 0.02, 1.0, 0.02, 1.0, 0.02, 1.0],
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
        ],
    };

    [TestMethod]
    public void Compiled_model_matches_the_reference() => Reference.AssertMatches("walker2d.xml", relativeTolerance: 1e-12);

    [TestMethod]
    public void The_comparison_notices_a_changed_constant() => Reference.AssertAHeavierBodyIsNoticed("walker2d.xml", relativeTolerance: 1e-12);
}
