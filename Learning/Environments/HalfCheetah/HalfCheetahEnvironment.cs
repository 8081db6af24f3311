using MetaRl.Learning.Environments.MuJoCo;

namespace MetaRl.Learning.Environments.HalfCheetah;

/// <summary>
/// The planar half-cheetah (models/half_cheetah.xml) laid out as HalfCheetah-v3: 6 torque-controlled
/// joints, frame skip 5 (dt = 0.05 s); observation (17): qpos without the x position (8) and qvel
/// (9); reset qpos0 + U(±0.1), qvel 0.1·N(0, 1); no termination. The reward is the family's
/// function of the forward velocity of the torso, v = Δ(rootx) / dt, and the action.
/// </summary>
public sealed class HalfCheetahEnvironment : MujocoEnvironment
{
    public const string ModelFile = "half_cheetah.xml";
    public const int ObservationDimension = 17;
    public const int FrameSkipSteps = 5;

    private readonly Func<double, ReadOnlySpan<float>, double> _reward;
    private readonly int _rootX;
    private double _xBefore;

    /// <param name="reward">(forward velocity, action) → reward.</param>
    public HalfCheetahEnvironment(MetaTask task, ulong seed, int horizon, MjModel model, Func<double, ReadOnlySpan<float>, double> reward)
        : base(task, seed, horizon, ObservationDimension, model, FrameSkipSteps, positionNoise: 0.1, velocityNoise: 0.1)
    {
        _reward = reward;
        _rootX = model.JointQposAddress("rootx");
    }

    /// <summary>Torso x position (m).</summary>
    public double X => Simulation.Qpos[_rootX];

    protected override void BeforeStep() => _xBefore = X;

    protected override (double Reward, bool Terminated) AfterStep(ReadOnlySpan<float> action)
    {
        double velocity = (X - _xBefore) / Dt;
        return (_reward(velocity, action), false);
    }

    protected override void WriteObservation(Span<float> observation)
    {
        var qpos = Simulation.Qpos;
        var qvel = Simulation.Qvel;
        int k = 0;
        for (int i = 0; i < qpos.Length; i++)
            if (i != _rootX) observation[k++] = (float)qpos[i];
        for (int i = 0; i < qvel.Length; i++) observation[k++] = (float)qvel[i];
    }

    /// <summary>The control cost all half-cheetah families use: 0.05·‖a‖² (VariBAD's 0.5·0.1).</summary>
    public static double ControlCost(ReadOnlySpan<float> action) => 0.05 * SquaredNorm(action);
}
