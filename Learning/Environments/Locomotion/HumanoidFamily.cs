using MetaRl.Learning.Environments.MuJoCo;

namespace MetaRl.Learning.Environments.Locomotion;

/// <summary>
/// What the humanoid families share, from Humanoid-v3: 17 actuators with actions in [−0.4, 0.4],
/// observation (376) qpos without x, y, qvel, cinert, cvel, qfrc_actuator, cfrc_ext; rewards on
/// the centre of mass's velocity with weight 1.25, healthy bonus 5, control cost 0.1‖a‖², contact
/// cost min(5·10⁻⁷·Σ cfrc_ext², 10); the episode ends when the root height leaves (1.0, 2.0).
/// </summary>
public abstract class HumanoidFamily : LocomotionFamily
{
    public const double AliveBonus = 5.0;
    public const double VelocityWeight = 1.25;
    public const double ControlCostWeight = 0.1;
    public const double ContactCostWeight = 5e-7;
    public const double ContactCostCap = 10.0;

    protected HumanoidFamily() : base(LocomotionSpec.Humanoid)
    {
    }

    /// <summary>Control cost plus contact cost, Humanoid-v3's two penalties.</summary>
    protected static double Costs(in Motion m, ReadOnlySpan<float> a) =>
        ControlCostWeight * LocomotionEnvironment.ActionSquaredNorm(a) + Math.Min(ContactCostWeight * m.ContactForceSquared, ContactCostCap);

    protected override LocomotionEnvironment.TerminationRule Termination => (in Motion m) => !(m.Height > 1.0 && m.Height < 2.0);
}
