using MetaRl.Learning.Environments.MuJoCo;

namespace MetaRl.Learning.Tests.MuJoCo;

/// <summary>
/// Our half_cheetah.xml against the reference HalfCheetah model of the gym benchmark. The expected
/// values below are what MuJoCo 2.2.2 (Debian's libmujoco, the library our shim links) compiles from
/// openai/gym's gym/envs/mujoco/assets/half_cheetah.xml as of gym commit bc212954b (the asset's last
/// change e8f298060 (unchanged since gym's first release apart from a tracking camera)); they were
/// printed by a scratch C program (mj_loadXML, then mj_forward at qpos0 for the world centres of mass)
/// that is not part of the repository. The reference fixes the total mass at 14 kg with the compiler;
/// ours reaches it through a density worked out from the capsules' volume, and writes the limbs by
/// their end points instead of centre, axis-angle and half-length, so values agree to rounding (about
/// 1e-14 relative), not bit for bit.
/// </summary>
[TestClass]
public sealed class HalfCheetahModelTests
{
    private static readonly ReferenceModel Reference = new()
    {
        Nq = 9, Nv = 9, Nu = 6, Nbody = 8, Njnt = 9, Ngeom = 9, Ntendon = 0,
        Timestep = 0.01,
        Integrator = MjIntegrator.Euler,
        Solver = 2,
        SolverIterations = 100,
        Qpos0 =
        [
            0.0, 0.0, 0.0, 0.0, 0.0, 0.0,
            0.0, 0.0, 0.0,
        ],
        BodyMass =
        [
            0.0, 6.25020920502092, 1.5435146443514645, 1.5874476987447697, 1.0953974895397491, 1.4380753138075317,
            1.200836820083682, 0.8845188284518829,
        ],
        BodyInertia =
        [
            0.0, 0.0, 0.0,
            0.8971176881117434, 0.8856554522351578, 0.017960923407966355,
            0.01684433958158996, 0.01684433958158996, 0.0015760215899581589,
            0.018267419079497905, 0.018267419079497905, 0.0016225027615062756,
            0.0063524232635983275, 0.0063524232635983275, 0.0011019136401673642,
            0.013739643347280341, 0.013739643347280341, 0.0014644667782426782,
            0.008222108619246861, 0.008222108619246861, 0.001213468451882845,
            0.003529109456066946, 0.003529109456066946, 0.0008788040167364017,
        ],
        BodyComWorld =
        [
            0.0, 0.0, 0.0,
            0.15238987816307403, 0.0, 0.7253983130271789,
            -0.4, 0.0, 0.57,
            -0.48, 0.0, 0.37999999999999995,
            -0.59, 0.0, 0.21299999999999994,
            0.43, 0.0, 0.58,
            0.425, 0.0, 0.37,
            0.535, 0.0, 0.20999999999999996,
        ],
        JointLimited = [0, 0, 0, 1, 1, 1, 1, 1, 1],
        JointRange =
        [
            0.0, 0.0,
            0.0, 0.0,
            0.0, 0.0,
            -0.52, 1.05,
            -0.785, 0.785,
            -0.4, 0.785,
            -1.0, 0.7,
            -1.2, 0.87,
            -0.5, 0.5,
        ],
        JointStiffness = [0.0, 0.0, 0.0, 240.0, 180.0, 120.0, 180.0, 120.0, 60.0],
        JointSolref = [0.02, 1.0, 0.02, 1.0, 0.02, 1.0, 0.02, 1.0, 0.02, 1.0, 0.02, 1.0, 0.02, 1.0, 0.02, 1.0, 0.02, 1.0],
        JointSolimp =
        [
            0.0, 0.8, 0.03, 0.5, 2.0,
            0.0, 0.8, 0.03, 0.5, 2.0,
            0.0, 0.8, 0.03, 0.5, 2.0,
            0.0, 0.8, 0.03, 0.5, 2.0,
            0.0, 0.8, 0.03, 0.5, 2.0,
            0.0, 0.8, 0.03, 0.5, 2.0,
            0.0, 0.8, 0.03, 0.5, 2.0,
            0.0, 0.8, 0.03, 0.5, 2.0,
            0.0, 0.8, 0.03, 0.5, 2.0,
        ],
        DofDamping = [0.0, 0.0, 0.0, 6.0, 4.5, 3.0, 4.5, 3.0, 1.5],
        DofArmature = [0.0, 0.0, 0.0, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1],
        ActuatorGear = [120.0, 90.0, 60.0, 120.0, 60.0, 30.0],
        ActuatorCtrlRange = [-1.0, 1.0, -1.0, 1.0, -1.0, 1.0, -1.0, 1.0, -1.0, 1.0, -1.0, 1.0],
        ActuatorJoint = [3, 4, 5, 6, 7, 8],
        GeomContype = [1, 1, 1, 1, 1, 1, 1, 1, 1],
        GeomConaffinity = [1, 0, 0, 0, 0, 0, 0, 0, 0],
        GeomCondim = [3, 3, 3, 3, 3, 3, 3, 3, 3],
        GeomFriction =
        [
            0.4, 0.1, 0.1,
            0.4, 0.1, 0.1,
            0.4, 0.1, 0.1,
            0.4, 0.1, 0.1,
            0.4, 0.1, 0.1,
            0.4, 0.1, 0.1,
            0.4, 0.1, 0.1,
            0.4, 0.1, 0.1,
            0.4, 0.1, 0.1,
        ],
        GeomMargin = [0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0],
        GeomSolref = [0.02, 1.0, 0.02, 1.0, 0.02, 1.0, 0.02, 1.0, 0.02, 1.0, 0.02, 1.0, 0.02, 1.0, 0.02, 1.0, 0.02, 1.0],
        GeomSolimp =
        [
            0.0, 0.8, 0.01, 0.5, 2.0,
            0.0, 0.8, 0.01, 0.5, 2.0,
            0.0, 0.8, 0.01, 0.5, 2.0,
            0.0, 0.8, 0.01, 0.5, 2.0,
            0.0, 0.8, 0.01, 0.5, 2.0,
            0.0, 0.8, 0.01, 0.5, 2.0,
            0.0, 0.8, 0.01, 0.5, 2.0,
            0.0, 0.8, 0.01, 0.5, 2.0,
            0.0, 0.8, 0.01, 0.5, 2.0,
        ],
    };

    [TestMethod]
    public void Compiled_model_matches_the_reference() => Reference.AssertMatches("half_cheetah.xml", relativeTolerance: 1e-12);

    [TestMethod]
    public void The_comparison_notices_a_changed_constant() => Reference.AssertAHeavierBodyIsNoticed("half_cheetah.xml", relativeTolerance: 1e-12);
}
