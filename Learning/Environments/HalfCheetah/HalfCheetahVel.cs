namespace MetaRl.Learning.Environments.HalfCheetah;

/// <summary>
/// HalfCheetah-Vel: run at a goal velocity v* = 7u, u ~ U(0, 1) (so v* ~ U[0, 7] m/s).
/// Reward −|v − v*| − 0.05‖a‖².
/// </summary>
public sealed class HalfCheetahVel : HalfCheetahFamily
{
    public const double MaxVelocity = 7.0;

    public override string Name => "HalfCheetah-Vel";
    public override IReadOnlyList<LatentDimension> Latents { get; } = [LatentDimension.Unit("velocity")];
    public override IReadOnlyList<string> ParameterNames { get; } = ["goal_velocity"];

    public override double[] ToParameters(ReadOnlySpan<double> latent) => [MaxVelocity * latent[0]];

    protected override double Reward(MetaTask task, double velocity, ReadOnlySpan<float> action) =>
        -Math.Abs(velocity - task.Parameters[0]) - HalfCheetahEnvironment.ControlCost(action);
}
