namespace MetaRl.Learning.Environments.KrazyWorld;

/// <summary>
/// One Krazy World episode (E-MAML's exploration benchmark) on the task's <see cref="KrazyBoard"/>.
/// <para>
/// A step: the action is mapped to a direction by the board; the move costs 1 energy; the agent moves
/// one tile (the border blocks: bumping into it leaves the agent in place, still paying the energy).
/// Arriving on ice slides it one more tile the same way (again unless the border blocks; only one
/// extra tile, even onto more ice); arriving on a transporter, after a slide or not, sends it to the
/// other transporter. Then the tile it ends on acts, once per arrival (standing still by bumping into
/// the border is no arrival): death ends the episode; an uncollected goal pays +1 and is collected
/// (the goal tile then looks and acts like a normal tile); an energy tile adds 8 energy on every
/// arrival, so it can be revisited. The episode also ends when the energy is 0 or less after the
/// tile acted, or when every goal is collected (nothing is left to earn). Energy starts at 11.
/// Otherwise it runs to the horizon, 100 steps. Steps after the end pay 0 and change nothing.
/// </para>
/// <para>
/// Observation (701 floats): the 100 tiles row-major, each a one-hot vector over the 6 colours of the
/// tile it shows (a collected goal shows as normal); then 100 floats with a 1 on the agent's tile;
/// then energy/11. The dynamics are deterministic, so the environment's random stream is never drawn.
/// </para>
/// </summary>
public sealed class KrazyWorldEnvironment : EnvironmentBase
{
    public const int EpisodeSteps = 100;
    public const int InitialEnergy = 11;
    public const int EnergyGain = 8;
    public const double GoalReward = 1;

    public static readonly int ObservationLength = KrazyBoard.TileCount * (KrazyBoard.ColourCount + 1) + 1;

    private readonly bool[] _collected;
    private int _position;
    private int _energy;
    private bool _ended;

    public KrazyWorldEnvironment(MetaTask task, ulong seed)
        : this(task, seed, KrazyBoard.Generate(BoardSeedOf(task)))
    {
    }

    /// <summary>An environment on a hand-built board (tests); the task's own board seed is not used.</summary>
    internal KrazyWorldEnvironment(MetaTask task, ulong seed, KrazyBoard board)
        : base(task, seed, EpisodeSteps, ObservationLength, new DiscreteSpace(KrazyBoard.DirectionCount))
    {
        Board = board;
        _collected = new bool[board.Goals.Count];
    }

    public KrazyBoard Board { get; }

    public int Position => _position;

    public int Energy => _energy;

    public int GoalsCollected => _collected.Count(c => c);

    private static int BoardSeedOf(MetaTask task)
    {
        double seed = task["board_seed"];
        if (!(seed >= 0 && seed <= int.MaxValue && seed == Math.Floor(seed))) throw new ArgumentOutOfRangeException(nameof(task), seed, "the board seed is an integer in [0, 2^31)");
        return (int)seed;
    }

    protected override void ResetCore(Span<float> observation)
    {
        _position = Board.Start;
        _energy = InitialEnergy;
        Array.Clear(_collected);
        _ended = false;
        Observe(observation);
    }

    protected override (double Reward, bool Terminated, bool BadPhysics) StepCore(ReadOnlySpan<float> action, Span<float> observation)
    {
        if (_ended)
        {
            Observe(observation);
            return (0, true, false);
        }
        int direction = Board.ActionDirections[((DiscreteSpace)ActionSpace).IndexOf(action)];
        _energy--;
        int from = _position;
        _position = Move(from, direction);

        double reward = 0;
        if (_position != from)
        {
            switch (Board[_position])
            {
                case KrazyTile.Death:
                    _ended = true;
                    break;
                case KrazyTile.Goal:
                    int goal = GoalIndex(_position);
                    if (!_collected[goal])
                    {
                        _collected[goal] = true;
                        reward = GoalReward;
                        if (_collected.All(c => c)) _ended = true;
                    }
                    break;
                case KrazyTile.Energy:
                    _energy += EnergyGain;
                    break;
            }
        }
        if (_energy <= 0) _ended = true;
        Observe(observation);
        return (reward, _ended, false);
    }

    /// <summary>Where a move from <paramref name="from"/> ends, after ice and transporters.</summary>
    private int Move(int from, int direction)
    {
        int to = KrazyBoard.Neighbour(from, direction);
        if (to < 0) return from;
        if (Board[to] == KrazyTile.Ice)
        {
            int slid = KrazyBoard.Neighbour(to, direction);
            if (slid >= 0) to = slid;
        }
        return Board[to] == KrazyTile.Transporter ? Board.OtherTransporter(to) : to;
    }

    private int GoalIndex(int tile)
    {
        for (int i = 0; i < Board.Goals.Count; i++)
        {
            if (Board.Goals[i] == tile) return i;
        }
        throw new InvalidOperationException($"tile {tile} is not a goal");
    }

    private void Observe(Span<float> observation)
    {
        observation.Clear();
        int colours = KrazyBoard.ColourCount;
        for (int i = 0; i < KrazyBoard.TileCount; i++)
        {
            var shown = Board[i] == KrazyTile.Goal && _collected[GoalIndex(i)] ? KrazyTile.Normal : Board[i];
            observation[i * colours + Board.ColourOf(shown)] = 1;
        }
        observation[KrazyBoard.TileCount * colours + _position] = 1;
        observation[^1] = (float)_energy / InitialEnergy;
    }

    protected override void SaveCore(BinaryWriter writer)
    {
        writer.Write(_position);
        writer.Write(_energy);
        writer.Write(_ended);
        writer.Write(_collected.Length);
        foreach (var c in _collected) writer.Write(c);
    }

    protected override void RestoreCore(BinaryReader reader)
    {
        // Read everything before assigning, so a truncated or foreign state leaves the environment as it was.
        int position = reader.ReadInt32(), energy = reader.ReadInt32();
        bool ended = reader.ReadBoolean();
        int goals = reader.ReadInt32();
        if (goals != _collected.Length) throw new InvalidDataException($"state is for a board with {goals} goals, this board has {_collected.Length}");
        if (position < 0 || position >= KrazyBoard.TileCount) throw new InvalidDataException($"state has agent tile {position}, outside the board");
        var collected = new bool[goals];
        for (int i = 0; i < goals; i++) collected[i] = reader.ReadBoolean();
        (_position, _energy, _ended) = (position, energy, ended);
        collected.CopyTo(_collected);
    }
}
