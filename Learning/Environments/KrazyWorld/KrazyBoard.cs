using MetaRl.Learning.Common;

namespace MetaRl.Learning.Environments.KrazyWorld;

/// <summary>
/// Everything a Krazy World task fixes: the 10×10 tiles, the start, the colour the agent sees for
/// each tile type, and which direction each action moves in. Immutable; <see cref="Generate"/> makes
/// it a pure function of the board seed, so every environment of a task sees the same board.
/// Tiles are indexed row-major, index = y·10 + x. Directions are 0: +y, 1: −y, 2: −x, 3: +x.
/// </summary>
public sealed class KrazyBoard
{
    public const int Size = 10;
    public const int TileCount = Size * Size;
    public const int DirectionCount = 4;
    public const int GoalCount = 3, DeathCount = 10, IceCount = 5, EnergyCount = 5, TransporterCount = 2;

    /// <summary>One colour per tile type.</summary>
    public static readonly int ColourCount = Enum.GetValues<KrazyTile>().Length;

    private readonly KrazyTile[] _tiles;
    private readonly int[] _colours;
    private readonly int[] _actionDirections;
    private readonly int[] _goals;
    private readonly int[] _transporters;

    /// <param name="tiles">The 100 tiles, row-major.</param>
    /// <param name="start">The start tile's index.</param>
    /// <param name="colours">The colour of each tile type (indexed by <see cref="KrazyTile"/>): a permutation of 0..ColourCount−1.</param>
    /// <param name="actionDirections">The direction of each action: a permutation of 0..3.</param>
    public KrazyBoard(IReadOnlyList<KrazyTile> tiles, int start, IReadOnlyList<int> colours, IReadOnlyList<int> actionDirections)
    {
        if (tiles.Count != TileCount) throw new ArgumentException($"a board has {TileCount} tiles, got {tiles.Count}", nameof(tiles));
        if (start < 0 || start >= TileCount) throw new ArgumentOutOfRangeException(nameof(start), start, $"a tile index is in [0, {TileCount})");
        if (!IsPermutation(colours, ColourCount)) throw new ArgumentException($"colours must be a permutation of 0..{ColourCount - 1}", nameof(colours));
        if (!IsPermutation(actionDirections, DirectionCount)) throw new ArgumentException($"action directions must be a permutation of 0..{DirectionCount - 1}", nameof(actionDirections));
        _tiles = tiles.ToArray();
        _colours = colours.ToArray();
        _actionDirections = actionDirections.ToArray();
        _goals = IndexesOf(KrazyTile.Goal);
        _transporters = IndexesOf(KrazyTile.Transporter);
        if (_transporters.Length is not (0 or 2)) throw new ArgumentException($"a board has no transporters or one pair, got {_transporters.Length}", nameof(tiles));
        Start = start;
    }

    public IReadOnlyList<KrazyTile> Tiles => _tiles;

    public int Start { get; }

    /// <summary>The colour of each tile type, indexed by <see cref="KrazyTile"/>.</summary>
    public IReadOnlyList<int> Colours => _colours;

    /// <summary>The direction each action moves in.</summary>
    public IReadOnlyList<int> ActionDirections => _actionDirections;

    /// <summary>The goal tiles' indexes, ascending; goal i of the agent's collected set is Goals[i].</summary>
    public IReadOnlyList<int> Goals => _goals;

    public KrazyTile this[int index] => _tiles[index];

    public int ColourOf(KrazyTile tile) => _colours[(int)tile];

    /// <summary>The tile one step from <paramref name="index"/> in <paramref name="direction"/>, or −1 past the border.</summary>
    public static int Neighbour(int index, int direction)
    {
        int x = index % Size, y = index / Size;
        (x, y) = direction switch
        {
            0 => (x, y + 1),
            1 => (x, y - 1),
            2 => (x - 1, y),
            3 => (x + 1, y),
            _ => throw new ArgumentOutOfRangeException(nameof(direction), direction, "a direction is in [0, 4)"),
        };
        return x is >= 0 and < Size && y is >= 0 and < Size ? y * Size + x : -1;
    }

    /// <summary>Where a transporter sends the agent: the other tile of the pair.</summary>
    public int OtherTransporter(int index) =>
        index == _transporters[0] ? _transporters[1]
        : index == _transporters[1] ? _transporters[0]
        : throw new ArgumentException($"tile {index} is not a transporter", nameof(index));

    /// <summary>
    /// The board of <paramref name="seed"/>. From one stream seeded by it, in this order: a shuffle of
    /// the 100 tiles, whose first index is the start (a normal tile), the next 3 goals, then 10 death,
    /// 5 ice, 5 energy and 2 transporter tiles, the remaining 75 normal; a shuffle of the tile types'
    /// colours; a shuffle of the action→direction mapping. Nothing guarantees that every goal can
    /// be reached: a goal walled in by death tiles is part of what the agent has to find out.
    /// </summary>
    public static KrazyBoard Generate(int seed)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(seed);
        // A key of its own keeps board seeds from reproducing other components' streams.
        var rng = RandomStream.FromKeys(0x4B72617A79576F72UL, (ulong)seed);

        var order = Enumerable.Range(0, TileCount).ToArray();
        rng.Shuffle<int>(order);
        var tiles = new KrazyTile[TileCount];
        int next = 1; // order[0] is the start, left normal
        foreach (var (tile, count) in new[]
        {
            (KrazyTile.Goal, GoalCount), (KrazyTile.Death, DeathCount), (KrazyTile.Ice, IceCount),
            (KrazyTile.Energy, EnergyCount), (KrazyTile.Transporter, TransporterCount),
        })
        {
            for (int i = 0; i < count; i++) tiles[order[next++]] = tile;
        }

        var colours = Enumerable.Range(0, ColourCount).ToArray();
        rng.Shuffle<int>(colours);
        var directions = Enumerable.Range(0, DirectionCount).ToArray();
        rng.Shuffle<int>(directions);
        return new KrazyBoard(tiles, order[0], colours, directions);
    }

    private int[] IndexesOf(KrazyTile tile) => Enumerable.Range(0, TileCount).Where(i => _tiles[i] == tile).ToArray();

    private static bool IsPermutation(IReadOnlyList<int> values, int n) =>
        values.Count == n && values.Order().SequenceEqual(Enumerable.Range(0, n));
}
