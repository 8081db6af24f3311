namespace MetaRl.Learning.Environments.HalfCheetah;

/// <summary>
/// HalfCheetah-Fwd-Back: run forward (direction +1) or backward (−1), each with probability ½.
/// Reward direction·v − 0.05‖a‖².
/// </summary>
public sealed class HalfCheetahFwdBack : HalfCheetahFamily
{
    public override string Name => "HalfCheetah-Fwd-Back";
    public override IReadOnlyList<LatentDimension> Latents { get; } = [LatentDimension.Categorical("direction", 2)];
    public override IReadOnlyList<string> ParameterNames { get; } = ["direction"];

    public override double[] ToParameters(ReadOnlySpan<double> latent) => [latent[0] < 0.5 ? -1.0 : 1.0];

    protected override double Reward(MetaTask task, double velocity, ReadOnlySpan<float> action) =>
        task.Parameters[0] * velocity - HalfCheetahEnvironment.ControlCost(action);
}
