namespace MetaRl.Learning.Environments.Locomotion;

/// <summary>
/// Humanoid-Dir-2D: run in a direction θ = 2πu in the plane. Reward 5 + 1.25·(v · (cos θ, sin θ)) − costs (as VariBAD's and PEARL's humanoid-direction task; v of the centre of mass).
/// </summary>
public sealed class HumanoidDir2D : HumanoidFamily
{
    public override string Name => "Humanoid-Dir-2D";
    public override IReadOnlyList<LatentDimension> Latents { get; } = [LatentDimension.Unit("direction")];
    public override IReadOnlyList<string> ParameterNames { get; } = ["direction_angle"];
    public override double[] ToParameters(ReadOnlySpan<double> latent) => [2 * Math.PI * latent[0]];

    protected override LocomotionEnvironment.RewardRule RewardFor(MetaTask task)
    {
        double cx = Math.Cos(task.Parameters[0]), cy = Math.Sin(task.Parameters[0]);
        return (in Motion m, ReadOnlySpan<float> a) => AliveBonus + VelocityWeight * (m.VelocityX * cx + m.VelocityY * cy) - Costs(m, a);
    }
}
