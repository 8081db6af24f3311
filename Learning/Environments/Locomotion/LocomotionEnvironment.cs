using MetaRl.Learning.Environments.MuJoCo;

namespace MetaRl.Learning.Environments.Locomotion;

/// <summary>
/// A MuJoCo robot whose task is about moving, laid out as its gym v3 environment: the observation
/// is qpos (minus the leading <see cref="LocomotionSpec.QposSkip"/> entries), qvel (clipped), then
/// what the spec adds (cinert, cvel, actuator forces; contact forces), and the family's reward and
/// termination rules read the step's <see cref="Motion"/>.
/// </summary>
/// <remarks>
/// Velocities are the tracked point's displacement over the step divided by dt. Like gym, a body
/// frame or centre of mass is read as mj_step left it, without recomputing kinematics (with RK4, as
/// in the ant and humanoid models, that is the last stage, evaluated at the end of the step); the
/// position read after one step is the position before the next, and it is part of the saved
/// state, so a restored environment continues exactly.
/// </remarks>
public sealed class LocomotionEnvironment : MujocoEnvironment
{
    public delegate double RewardRule(in Motion motion, ReadOnlySpan<float> action);
    public delegate bool TerminationRule(in Motion motion);

    private readonly LocomotionSpec _spec;
    private readonly RewardRule _reward;
    private readonly TerminationRule? _terminated;
    private readonly int _heightIndex;
    private readonly int _pitchIndex;
    private readonly int _torso;
    private double _xBefore, _yBefore;

    public LocomotionEnvironment(MetaTask task, ulong seed, int horizon, LocomotionSpec spec, MjModel model, RewardRule reward, TerminationRule? terminated)
        : base(task, seed, horizon, ObservationSizeOf(spec, model), model, spec.FrameSkip, spec.PositionNoise, spec.VelocityNoise, spec.UniformVelocityNoise)
    {
        _spec = spec;
        _reward = reward;
        _terminated = terminated;
        _heightIndex = spec.Planar ? model.JointQposAddress("rootz") : model.JointQposAddress("root") + 2;
        _pitchIndex = spec.Planar ? model.JointQposAddress("rooty") : -1;
        _torso = model.Id(MjObject.Body, "torso");
    }

    public static int ObservationSizeOf(LocomotionSpec spec, MjModel model)
    {
        int size = model.PositionCount - spec.QposSkip + model.VelocityCount;
        if (spec.ComObservations) size += 10 * model.BodyCount + 6 * model.BodyCount + model.VelocityCount;
        if (spec.ContactForces) size += 6 * model.BodyCount;
        return size;
    }

    /// <summary>The tracked point's horizontal position, as the last physics step (or the reset) left the body frames.</summary>
    public (double X, double Y) Position
    {
        get
        {
            switch (_spec.Tracked)
            {
                case TrackedPoint.RootCoordinates:
                {
                    var q = Simulation.Qpos;
                    return _spec.Planar ? (q[0], 0.0) : (q[0], q[1]);
                }
                case TrackedPoint.TorsoFrame:
                {
                    var xpos = Simulation.Field(DataField.BodyPosition);
                    return (xpos[3 * _torso], xpos[3 * _torso + 1]);
                }
                default:
                {
                    var mass = Model.Field(ModelField.BodyMass);
                    var xipos = Simulation.Field(DataField.BodyComPosition);
                    double m = 0, x = 0, y = 0;
                    for (int b = 0; b < mass.Length; b++)
                    {
                        m += mass[b];
                        x += mass[b] * xipos[3 * b];
                        y += mass[b] * xipos[3 * b + 1];
                    }
                    return (x / m, y / m);
                }
            }
        }
    }

    public double Height => Simulation.Qpos[_heightIndex];

    protected override void OnReset() => (_xBefore, _yBefore) = Position;

    protected override (double Reward, bool Terminated) AfterStep(ReadOnlySpan<float> action)
    {
        var (x, y) = Position;
        double contact = 0;
        if (_spec.ContactForces)
        {
            Simulation.ComputeContactForces();
            double clip = _spec.ContactForceClip;
            foreach (var f in Simulation.Field(DataField.ExternalContactForce))
            {
                double c = Math.Clamp(f, -clip, clip);
                contact += c * c;
            }
        }
        var motion = new Motion((x - _xBefore) / Dt, (y - _yBefore) / Dt, x, y, Height, _pitchIndex >= 0 ? Simulation.Qpos[_pitchIndex] : 0, contact);
        (_xBefore, _yBefore) = (x, y);
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
        if (_spec.ComObservations)
        {
            foreach (var v in Simulation.Field(DataField.ComInertia)) observation[k++] = (float)v;
            foreach (var v in Simulation.Field(DataField.BodyVelocity)) observation[k++] = (float)v;
            foreach (var v in Simulation.Field(DataField.ActuatorForce)) observation[k++] = (float)v;
        }
        if (_spec.ContactForces)
        {
            double fclip = _spec.ContactForceClip;
            foreach (var v in Simulation.Field(DataField.ExternalContactForce)) observation[k++] = (float)Math.Clamp(v, -fclip, fclip);
        }
    }

    protected override void SaveExtra(BinaryWriter writer)
    {
        writer.Write(_xBefore);
        writer.Write(_yBefore);
    }

    protected override void RestoreExtra(BinaryReader reader)
    {
        _xBefore = reader.ReadDouble();
        _yBefore = reader.ReadDouble();
    }

    /// <summary>Squared norm of the action, for control costs.</summary>
    public static double ActionSquaredNorm(ReadOnlySpan<float> action) => SquaredNorm(action);
}
