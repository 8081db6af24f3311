using static MetaRl.Learning.Environments.KhazadDum.KhazadDumMap;

namespace MetaRl.Learning.Environments.KhazadDum;

/// <summary>
/// One Khazad-Dum episode (geometry in <see cref="KhazadDumMap"/>). The agent has a continuous
/// position in the 11×9 grid and starts uniformly in [0.5, 2.5]².
/// <para>
/// Moves. Discrete actions 0, 1, 2, 3 move one unit up (+y), down (−y), left (−x), right (+x), at
/// speed 1. A continuous action is the 2-D step itself (each coordinate clipped to [−1, 1], then
/// the vector's norm clipped to 1); its norm is the speed. A move made while the agent is in the
/// abyss rows 3 &lt; y &lt; 6 (that is, on a bridge: anywhere else there it would have fallen) gets
/// Gaussian noise of standard deviation noise·speed² added to each coordinate. The position is then
/// clipped into the grid: the border walls block.
/// </para>
/// <para>
/// Rewards, all divided by the horizon (32) so an episode's return stays in a small range:
/// a normal step pays −min(d/5, 1), d the L1 distance from the new position to the goal cell's centre
/// (2.5, 7.5); a step ending in the goal cell [2,3)×[7,8) pays +5 instead, and the agent then stays
/// there, every later step paying 0; a step ending over the abyss outside both bridges pays −1
/// instead, and the agent is stuck there, every later step paying −1 as well. On top, a noisy move
/// costs 3·noise, whatever it ends in. Neither the goal nor a fall terminates the episode: it always
/// runs to the horizon, so every episode has the same length and a fall's cost is the remaining steps.
/// </para>
/// <para>Observation: [x/11, y/9, steps taken/32].</para>
/// </summary>
public sealed class KhazadDumEnvironment : EnvironmentBase
{
    public const int EpisodeSteps = 32;
    public const double GoalReward = 5;
    public const double FallReward = -1;
    public const double NoiseCostFactor = 3;
    public const int ObservationLength = 3;

    private readonly double _noise;
    private double _x, _y;
    private bool _reachedGoal, _fell;

    public KhazadDumEnvironment(MetaTask task, ulong seed, bool continuous)
        : base(task, seed, EpisodeSteps, ObservationLength, continuous ? BoxSpace.Symmetric(2, 1) : new DiscreteSpace(4))
    {
        _noise = task["noise"];
        if (!(_noise >= 0) || !double.IsFinite(_noise)) throw new ArgumentOutOfRangeException(nameof(task), _noise, "the noise level must be a finite non-negative number");
        Continuous = continuous;
    }

    public bool Continuous { get; }

    public double Noise => _noise;

    /// <summary>Where the agent is (for tests and visualisation; the policy sees the observation).</summary>
    public (double X, double Y) Position => (_x, _y);

    public bool ReachedGoal => _reachedGoal;

    public bool Fell => _fell;

    /// <summary>Puts the agent at a hand-picked position, not fallen and not at the goal (tests build states with it).</summary>
    internal void PlaceAgent(double x, double y)
    {
        (_x, _y) = ClipToGrid(x, y);
        _reachedGoal = false;
        _fell = false;
    }

    protected override void ResetCore(Span<float> observation)
    {
        _x = Random.NextUniform(StartLow, StartHigh);
        _y = Random.NextUniform(StartLow, StartHigh);
        _reachedGoal = false;
        _fell = false;
        Observe(observation, 0);
    }

    protected override (double Reward, bool Terminated, bool BadPhysics) StepCore(ReadOnlySpan<float> action, Span<float> observation)
    {
        double reward;
        if (_reachedGoal) reward = 0;
        else if (_fell) reward = FallReward;
        else reward = Move(action);
        Observe(observation, StepIndex + 1);
        return (reward / EpisodeSteps, false, false);
    }

    /// <summary>Moves the agent and returns the step's unscaled reward.</summary>
    private double Move(ReadOnlySpan<float> action)
    {
        var (dx, dy) = Continuous ? ContinuousStep(action) : DiscreteStep(((DiscreteSpace)ActionSpace).IndexOf(action));
        double speed = Math.Sqrt(dx * dx + dy * dy);
        bool noisy = InAbyssRows(_y);
        if (noisy)
        {
            double std = _noise * speed * speed;
            // Both draws are taken even when std is 0, so the stream advances the same way for every task.
            dx += std * Random.NextGaussian();
            dy += std * Random.NextGaussian();
        }
        (_x, _y) = ClipToGrid(_x + dx, _y + dy);

        double reward;
        if (InGoal(_x, _y))
        {
            _reachedGoal = true;
            reward = GoalReward;
        }
        else if (InAbyss(_x, _y))
        {
            _fell = true;
            reward = FallReward;
        }
        else
        {
            reward = -Math.Min(DistanceToGoal(_x, _y) / 5, 1);
        }
        return noisy ? reward - NoiseCostFactor * _noise : reward;
    }

    private static (double Dx, double Dy) DiscreteStep(int action) => action switch
    {
        0 => (0, 1),
        1 => (0, -1),
        2 => (-1, 0),
        _ => (1, 0),
    };

    private static (double Dx, double Dy) ContinuousStep(ReadOnlySpan<float> action)
    {
        double dx = action[0], dy = action[1];
        double norm = Math.Sqrt(dx * dx + dy * dy);
        return norm > 1 ? (dx / norm, dy / norm) : (dx, dy);
    }

    private void Observe(Span<float> observation, int steps)
    {
        observation[0] = (float)(_x / Width);
        observation[1] = (float)(_y / Height);
        observation[2] = (float)steps / EpisodeSteps;
    }

    protected override void SaveCore(BinaryWriter writer)
    {
        writer.Write(_x);
        writer.Write(_y);
        writer.Write(_reachedGoal);
        writer.Write(_fell);
    }

    protected override void RestoreCore(BinaryReader reader)
    {
        // Read everything before assigning, so a truncated state leaves the environment as it was.
        double x = reader.ReadDouble(), y = reader.ReadDouble();
        bool reachedGoal = reader.ReadBoolean(), fell = reader.ReadBoolean();
        (_x, _y, _reachedGoal, _fell) = (x, y, reachedGoal, fell);
    }
}
