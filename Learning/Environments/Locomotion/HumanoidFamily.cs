using MetaRl.Learning.Environments.MuJoCo;

namespace MetaRl.Learning.Environments.Locomotion;

/// <summary>
/// What the humanoid families share: 17 actuators, observation (45) qpos without x, y and qvel,
/// rewards on the centre of mass's velocity, alive bonus 5, control cost 0.1‖a‖², and the episode
/// ends when the root height leaves (1.0, 2.0) (a fall).
/// </summary>
public abstract class HumanoidFamily : LocomotionFamily
{
    public const double AliveBonus = 5.0;
    public const double VelocityWeight = 1.25;

    protected HumanoidFamily() : base(LocomotionSpec.Humanoid)
    {
    }

    protected static double ControlCost(ReadOnlySpan<float> a) => 0.1 * LocomotionEnvironment.ActionSquaredNorm(a);

    protected override LocomotionEnvironment.TerminationRule Termination => (in Motion m) => !(m.Height > 1.0 && m.Height < 2.0);
}
