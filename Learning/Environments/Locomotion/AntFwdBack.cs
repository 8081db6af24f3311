namespace MetaRl.Learning.Environments.Locomotion;

/// <summary>
/// Ant-Fwd-Back: walk along +x (direction +1) or −x (−1), each with probability ½. The reward is
/// Ant-v3's with the forward term signed by the direction (as VariBAD's and ProMP's ant-direction
/// tasks): direction·v_x + 1 (healthy) − 0.5‖a‖² − 5·10⁻⁴·Σ clip(cfrc_ext, ±1)²; the episode ends
/// when the torso height leaves [0.2, 1.0]. Observation (111): qpos without x, y, qvel, clipped cfrc_ext.
/// </summary>
public sealed class AntFwdBack : LocomotionFamily
{
    public const double HealthyReward = 1.0;
    public const double ControlCostWeight = 0.5;
    public const double ContactCostWeight = 5e-4;

    public AntFwdBack() : base(LocomotionSpec.Ant)
    {
    }

    public override string Name => "Ant-Fwd-Back";
    public override IReadOnlyList<LatentDimension> Latents { get; } = [LatentDimension.Categorical("direction", 2)];
    public override IReadOnlyList<string> ParameterNames { get; } = ["direction"];

    public override double[] ToParameters(ReadOnlySpan<double> latent) => [latent[0] < 0.5 ? -1.0 : 1.0];

    protected override LocomotionEnvironment.RewardRule RewardFor(MetaTask task)
    {
        double direction = task.Parameters[0];
        return (in Motion m, ReadOnlySpan<float> a) => direction * m.VelocityX + HealthyReward
            - ControlCostWeight * LocomotionEnvironment.ActionSquaredNorm(a) - ContactCostWeight * m.ContactForceSquared;
    }

    /// <summary>Ant-v3's healthy range: 0.2 ≤ torso z ≤ 1.0 (inclusive); non-finite states are bad physics already.</summary>
    protected override LocomotionEnvironment.TerminationRule Termination => (in Motion m) => !(m.Height >= 0.2 && m.Height <= 1.0);
}
