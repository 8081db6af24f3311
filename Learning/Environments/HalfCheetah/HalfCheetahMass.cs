using MetaRl.Learning.Environments.MuJoCo;

namespace MetaRl.Learning.Environments.HalfCheetah;

/// <summary>
/// HalfCheetah-Mass: every body's mass and inertia × 2^(−1+2u), u ~ U(0, 1) (factor in [0.5, 2],
/// log-uniform). Reward v − 0.05‖a‖² (run forward as fast as the body allows).
/// </summary>
public sealed class HalfCheetahMass : HalfCheetahFamily
{
    public override string Name => "HalfCheetah-Mass";
    public override IReadOnlyList<LatentDimension> Latents { get; } = [LatentDimension.Unit("mass")];
    public override IReadOnlyList<string> ParameterNames { get; } = ["mass_factor"];

    public override double[] ToParameters(ReadOnlySpan<double> latent) => [ScaleFactor(latent[0])];

    protected override void Customize(MjModel model, MetaTask task) => ModelEdits.ScaleAllMasses(model, task.Parameters[0]);

    protected override double Reward(MetaTask task, double velocity, ReadOnlySpan<float> action) =>
        velocity - HalfCheetahEnvironment.ControlCost(action);
}
