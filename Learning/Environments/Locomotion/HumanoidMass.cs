using MetaRl.Learning.Environments.MuJoCo;

namespace MetaRl.Learning.Environments.Locomotion;

/// <summary>Humanoid-Mass: every body's mass and inertia × 2^(−1+2u) (factor in [0.5, 2]). Reward Humanoid-v3's: 5 + 1.25·v_x − costs.</summary>
public sealed class HumanoidMass : HumanoidFamily
{
    public override string Name => "Humanoid-Mass";
    public override IReadOnlyList<LatentDimension> Latents { get; } = [LatentDimension.Unit("mass")];
    public override IReadOnlyList<string> ParameterNames { get; } = ["mass_factor"];
    public override double[] ToParameters(ReadOnlySpan<double> latent) => [ScaleFactor(latent[0])];

    protected override void Customize(MjModel model, MetaTask task) => ModelEdits.ScaleAllMasses(model, task.Parameters[0]);

    protected override LocomotionEnvironment.RewardRule RewardFor(MetaTask task) =>
        (in Motion m, ReadOnlySpan<float> a) => AliveBonus + VelocityWeight * m.VelocityX - Costs(m, a);
}
