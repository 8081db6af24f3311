namespace MetaRl.Learning.Environments.Locomotion;

/// <summary>Humanoid-Vel: run along x at a goal velocity v* ~ U[0, 2.5]. Reward 5 − 1.25·|v_x − v*| − costs.</summary>
public sealed class HumanoidVel : HumanoidFamily
{
    public const double MaxVelocity = 2.5;
    public override string Name => "Humanoid-Vel";
    public override IReadOnlyList<LatentDimension> Latents { get; } = [LatentDimension.Unit("velocity")];
    public override IReadOnlyList<string> ParameterNames { get; } = ["goal_velocity"];
    public override double[] ToParameters(ReadOnlySpan<double> latent) => [MaxVelocity * latent[0]];

    protected override LocomotionEnvironment.RewardRule RewardFor(MetaTask task)
    {
        double goal = task.Parameters[0];
        return (in Motion m, ReadOnlySpan<float> a) => AliveBonus - VelocityWeight * Math.Abs(m.VelocityX - goal) - Costs(m, a);
    }
}
