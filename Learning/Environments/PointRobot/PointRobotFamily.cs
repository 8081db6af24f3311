namespace MetaRl.Learning.Environments.PointRobot;

/// <summary>
/// "Point-Robot" (PEARL's dense-reward point navigation): the task is a goal on the upper half of the
/// unit circle. One latent "angle" u ∈ [0, 1] (uniform originally) gives the goal (cos πu, sin πu),
/// parameters "goal_x" and "goal_y". Dynamics and reward: <see cref="PointRobotEnvironment"/>.
/// </summary>
public sealed class PointRobotFamily : IRlTaskFamily
{
    public const string FamilyName = "Point-Robot";

    public string Name => FamilyName;

    public IReadOnlyList<LatentDimension> Latents { get; } = [LatentDimension.Unit("angle")];

    public IReadOnlyList<string> ParameterNames { get; } = ["goal_x", "goal_y"];

    public int Horizon => PointRobotEnvironment.EpisodeSteps;

    /// <summary>The position, unbounded (20 steps of at most 0.1 per coordinate keep it within [−2, 2]²).</summary>
    public BoxSpace ObservationSpace { get; } = BoxSpace.Unbounded(2);

    public Space ActionSpace { get; } = BoxSpace.Symmetric(2, PointRobotEnvironment.MaxStep);

    public double[] ToParameters(ReadOnlySpan<double> latent)
    {
        LatentGuard.Check(this, latent);
        double angle = Math.PI * latent[0];
        return [Math.Cos(angle), Math.Sin(angle)];
    }

    public IEnvironment CreateEnvironment(MetaTask task, ulong seed) => new PointRobotEnvironment(task, seed);
}
