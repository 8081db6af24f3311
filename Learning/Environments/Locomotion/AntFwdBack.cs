namespace MetaRl.Learning.Environments.Locomotion;

/// <summary>
/// Ant-Fwd-Back: walk along +x (direction +1) or −x (−1), each with probability ½.
/// Reward direction·v_x + 1 (survival) − 0.05‖a‖²; no termination. Observation (29): qpos and qvel.
/// </summary>
public sealed class AntFwdBack : LocomotionFamily
{
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
        return (in Motion m, ReadOnlySpan<float> a) => direction * m.VelocityX + 1.0 - 0.05 * LocomotionEnvironment.ActionSquaredNorm(a);
    }
}
