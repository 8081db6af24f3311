namespace MetaRl.Learning.Environments.Locomotion;

/// <summary>
/// Ant-Goal-2D: walk to a goal on the disc of radius 3 around the start, uniform over its area:
/// goal = 3·√u_r·(cos 2πu_θ, sin 2πu_θ). On Ant-v3's model and contact terms, the reward of the
/// meta-RL ant-goal task (PEARL, VariBAD): −‖xy − goal‖₁ − 0.1‖a‖² − 5·10⁻⁴·Σ clip(cfrc_ext, ±1)²,
/// no healthy bonus and no termination. Observation (113): all of qpos (with the torso's x, y: the
/// agent must know where it is), qvel, clipped cfrc_ext.
/// </summary>
public sealed class AntGoal2D : LocomotionFamily
{
    public const double Radius = 3.0;
    public const double ControlCostWeight = 0.1;
    public const double ContactCostWeight = 5e-4;

    public AntGoal2D() : base(LocomotionSpec.AntWithPosition)
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
            -(Math.Abs(m.X - gx) + Math.Abs(m.Y - gy)) - ControlCostWeight * LocomotionEnvironment.ActionSquaredNorm(a) - ContactCostWeight * m.ContactForceSquared;
    }
}
