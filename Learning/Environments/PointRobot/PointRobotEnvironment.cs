namespace MetaRl.Learning.Environments.PointRobot;

/// <summary>
/// PEARL's 2-D point robot: a point starting at the origin moves by the action, a displacement in
/// [−0.1, 0.1]² (clipped by the base class), and each step pays −‖position − goal‖₂ measured after
/// the move. It never terminates; episodes end at the horizon (20). Observation: the position.
/// The start is fixed and the dynamics noiseless, so the random stream is never drawn from.
/// </summary>
public sealed class PointRobotEnvironment : EnvironmentBase
{
    public const int EpisodeSteps = 20;
    public const double MaxStep = 0.1;

    private readonly double _goalX, _goalY;
    private double _x, _y;

    public PointRobotEnvironment(MetaTask task, ulong seed)
        : base(task, seed, EpisodeSteps, 2, BoxSpace.Symmetric(2, MaxStep))
    {
        _goalX = task["goal_x"];
        _goalY = task["goal_y"];
    }

    public (double X, double Y) Position => (_x, _y);

    public (double X, double Y) Goal => (_goalX, _goalY);

    protected override void ResetCore(Span<float> observation)
    {
        _x = 0;
        _y = 0;
        Observe(observation);
    }

    protected override (double Reward, bool Terminated, bool BadPhysics) StepCore(ReadOnlySpan<float> action, Span<float> observation)
    {
        _x += action[0];
        _y += action[1];
        Observe(observation);
        double dx = _x - _goalX, dy = _y - _goalY;
        return (-Math.Sqrt(dx * dx + dy * dy), false, false);
    }

    private void Observe(Span<float> observation)
    {
        observation[0] = (float)_x;
        observation[1] = (float)_y;
    }

    protected override void SaveCore(BinaryWriter writer)
    {
        writer.Write(_x);
        writer.Write(_y);
    }

    protected override void RestoreCore(BinaryReader reader)
    {
        double x = reader.ReadDouble(), y = reader.ReadDouble();
        (_x, _y) = (x, y);
    }
}
