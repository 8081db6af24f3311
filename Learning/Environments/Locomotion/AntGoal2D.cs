namespace MetaRl.Learning.Environments.Locomotion;

/// <summary>
/// Ant-Goal-2D: walk to a goal on the disc of radius 3 around the start, uniform over its area:
/// goal = 3·√u_r·(cos 2πu_θ, sin 2πu_θ). Reward −‖xy − goal‖₁ − 0.05‖a‖²; no termination.
/// Observation (29): qpos (with the torso's x, y: the agent must know where it is) and qvel.
/// </summary>
public sealed class AntGoal2D : LocomotionFamily
{
    public const double Radius = 3.0;

    public AntGoal2D() : base(LocomotionSpec.Ant)
    {
    }

    public override string Name => "Ant-Goal-2D";
    public override IReadOnlyList<LatentDimension> Latents { get; } = [LatentDimension.Unit("radius"), LatentDimension.Unit("angle")];
    public override IReadOnlyList<string> ParameterNames { get; } = ["goal_x", "goal_y"];

    public override double[] ToParameters(ReadOnlySpan<double> latent)
    {
        double r = Radius * Math.Sqrt(latent[0]), a = 2 * Math.PI * latent[1];
        return [r * Math.Cos(a), r * Math.Sin(a)];
    }

    protected override LocomotionEnvironment.RewardRule RewardFor(MetaTask task)
    {
        double gx = task.Parameters[0], gy = task.Parameters[1];
        return (in Motion m, ReadOnlySpan<float> a) =>
            -(Math.Abs(m.X - gx) + Math.Abs(m.Y - gy)) - 0.05 * LocomotionEnvironment.ActionSquaredNorm(a);
    }
}
