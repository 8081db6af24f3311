using MetaRl.Learning.Environments.MuJoCo;

namespace MetaRl.Learning.Environments.Locomotion;

/// <summary>
/// A MuJoCo robot whose task is about moving: the observation is qpos (minus the leading
/// <see cref="LocomotionSpec.QposSkip"/> entries) then qvel (clipped), and the family's reward and
/// termination rules read the step's <see cref="Motion"/>.
/// </summary>
public sealed class LocomotionEnvironment : MujocoEnvironment
{
    public delegate double RewardRule(in Motion motion, ReadOnlySpan<float> action);
    public delegate bool TerminationRule(in Motion motion);

    private readonly LocomotionSpec _spec;
    private readonly RewardRule _reward;
    private readonly TerminationRule? _terminated;
    private readonly int _heightIndex;
    private readonly int _pitchIndex;
    private double _xBefore, _yBefore;

    public LocomotionEnvironment(MetaTask task, ulong seed, int horizon, LocomotionSpec spec, MjModel model, RewardRule reward, TerminationRule? terminated)
        : base(task, seed, horizon, ObservationSizeOf(spec, model), model, spec.FrameSkip, spec.PositionNoise, spec.VelocityNoise, spec.UniformVelocityNoise)
    {
        _spec = spec;
        _reward = reward;
        _terminated = terminated;
        _heightIndex = spec.Planar ? model.JointQposAddress("rootz") : model.JointQposAddress("root") + 2;
        _pitchIndex = spec.Planar ? model.JointQposAddress("rooty") : -1;
    }

    public static int ObservationSizeOf(LocomotionSpec spec, MjModel model) => model.PositionCount - spec.QposSkip + model.VelocityCount;

    /// <summary>The tracked point's horizontal position (root or centre of mass).</summary>
    public (double X, double Y) Position
    {
        get
        {
            if (!_spec.TrackCentreOfMass)
            {
                var q = Simulation.Qpos;
                return _spec.Planar ? (q[0], 0.0) : (q[0], q[1]);
            }
            var mass = Model.Field(ModelField.BodyMass);
            var xipos = Simulation.Field(DataField.BodyComPosition);
            double m = 0, x = 0, y = 0;
            for (int b = 1; b < mass.Length; b++)
            {
                m += mass[b];
                x += mass[b] * xipos[3 * b];
                y += mass[b] * xipos[3 * b + 1];
            }
            return (x / m, y / m);
        }
    }

    public double Height => Simulation.Qpos[_heightIndex];

    protected override void BeforeStep() => (_xBefore, _yBefore) = Position;

    protected override (double Reward, bool Terminated) AfterStep(ReadOnlySpan<float> action)
    {
        if (_spec.TrackCentreOfMass) Simulation.Kinematics(); // body frames at the new qpos
        var (x, y) = Position;
        var motion = new Motion((x - _xBefore) / Dt, (y - _yBefore) / Dt, x, y, Height, _pitchIndex >= 0 ? Simulation.Qpos[_pitchIndex] : 0);
        return (_reward(motion, action), _terminated?.Invoke(motion) ?? false);
    }

    protected override void WriteObservation(Span<float> observation)
    {
        var qpos = Simulation.Qpos;
        var qvel = Simulation.Qvel;
        int k = 0;
        for (int i = _spec.QposSkip; i < qpos.Length; i++) observation[k++] = (float)qpos[i];
        double clip = _spec.QvelClip;
        for (int i = 0; i < qvel.Length; i++) observation[k++] = (float)Math.Clamp(qvel[i], -clip, clip);
    }

    /// <summary>Squared norm of the action, for control costs.</summary>
    public static double ActionSquaredNorm(ReadOnlySpan<float> action) => SquaredNorm(action);
}
