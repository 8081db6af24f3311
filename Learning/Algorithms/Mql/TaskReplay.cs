namespace MetaRl.Learning.Algorithms.Mql;

/// <summary>
/// One task's replay buffer as an append-only stream of <see cref="ReplaySegment"/>s: transitions go
/// into the open segment; a full one is sealed and never changes; past the capacity the oldest
/// sealed segment is dropped whole. Transitions have global indices (0, 1, 2, … in arrival order),
/// so a context window reaches back across segment boundaries.
/// </summary>
public sealed class TaskReplay
{
    private readonly List<ReplaySegment> _segments = new();

    public TaskReplay(int observationSize, int actionSize, int segmentSize, int maxSegments)
    {
        if (segmentSize < 1) throw new ArgumentOutOfRangeException(nameof(segmentSize), segmentSize, "at least 1");
        if (maxSegments < 2) throw new ArgumentOutOfRangeException(nameof(maxSegments), maxSegments, "at least 2 (one sealed, one open)");
        ObservationSize = observationSize;
        ActionSize = actionSize;
        SegmentSize = segmentSize;
        MaxSegments = maxSegments;
    }

    public int ObservationSize { get; }
    public int ActionSize { get; }
    public int SegmentSize { get; }
    public int MaxSegments { get; }

    /// <summary>Context features of one transition: its action, its reward, its observation.</summary>
    public int ContextFeatureSize => ActionSize + 1 + ObservationSize;

    /// <summary>Segments held now, oldest first (the last one may be open).</summary>
    public IReadOnlyList<ReplaySegment> Segments => _segments;

    /// <summary>Transitions ever added (the next transition's global index).</summary>
    public long Appended { get; private set; }

    /// <summary>Global index of the oldest transition still held.</summary>
    public long First => _segments.Count == 0 ? Appended : _segments[0].Number * SegmentSize;

    /// <summary>Transitions held now.</summary>
    public long Count => Appended - First;

    public void Add(ReadOnlySpan<float> observation, ReadOnlySpan<float> action, float reward, ReadOnlySpan<float> nextObservation, bool terminal, int stepIndex)
    {
        if (_segments.Count == 0 || _segments[^1].Full)
        {
            _segments.Add(new ReplaySegment(Appended / SegmentSize, SegmentSize, ObservationSize, ActionSize));
            if (_segments.Count > MaxSegments) _segments.RemoveAt(0);
        }
        _segments[^1].Add(observation, action, reward, nextObservation, terminal, stepIndex);
        Appended++;
    }

    private (ReplaySegment Segment, int Offset) Locate(long index)
    {
        if (index < First || index >= Appended) throw new ArgumentOutOfRangeException(nameof(index), index, $"transitions {First}..{Appended - 1} are held");
        long number = index / SegmentSize;
        return (_segments[(int)(number - _segments[0].Number)], (int)(index % SegmentSize));
    }

    public int StepIndexOf(long index)
    {
        var (s, o) = Locate(index);
        return s.StepIndices[o];
    }

    /// <summary>Writes transition <paramref name="index"/>'s observation, action, reward, next observation and terminal flag.</summary>
    public void Read(long index, Span<float> observation, Span<float> action, out float reward, Span<float> nextObservation, out bool terminal)
    {
        var (s, o) = Locate(index);
        s.Observations.AsSpan(o * ObservationSize, ObservationSize).CopyTo(observation);
        s.Actions.AsSpan(o * ActionSize, ActionSize).CopyTo(action);
        reward = s.Rewards[o];
        s.NextObservations.AsSpan(o * ObservationSize, ObservationSize).CopyTo(nextObservation);
        terminal = s.Terminals[o] != 0;
    }

    /// <summary>
    /// The context of the state a transition starts from: the features (action, reward, observation)
    /// of up to <paramref name="history"/> earlier transitions of the same episode, oldest first,
    /// zeros in front where the episode (or what is held) has fewer. With <paramref name="next"/>,
    /// the context of the state it leads to (the window moved one step on, including the transition itself).
    /// <paramref name="destination"/> is [history, ContextFeatureSize] for this one sample.
    /// </summary>
    public void Context(long index, int history, bool next, Span<float> destination)
    {
        int f = ContextFeatureSize;
        destination[..(history * f)].Clear();
        int available = StepIndexOf(index) + (next ? 1 : 0);
        long last = next ? index : index - 1;
        int count = (int)Math.Min(Math.Min(available, history), last - First + 1);
        for (int k = 0; k < count; k++)
        {
            var (s, o) = Locate(last - k);
            var row = destination.Slice((history - 1 - k) * f, f);
            s.Actions.AsSpan(o * ActionSize, ActionSize).CopyTo(row);
            row[ActionSize] = s.Rewards[o];
            s.Observations.AsSpan(o * ObservationSize, ObservationSize).CopyTo(row[(ActionSize + 1)..]);
        }
    }

    /// <summary>Segments sealed but numbered at or after <paramref name="fromNumber"/> (what a checkpoint has not written yet).</summary>
    public IEnumerable<ReplaySegment> SealedFrom(long fromNumber) => _segments.Where(s => s.Full && s.Number >= fromNumber);

    /// <summary>The open (partially filled) segment, if any.</summary>
    public ReplaySegment? Open => _segments.Count > 0 && !_segments[^1].Full ? _segments[^1] : null;

    /// <summary>Rebuilds the buffer from its segments (oldest first, consecutive numbers, only the last may be open).</summary>
    public void Restore(IReadOnlyList<ReplaySegment> segments)
    {
        for (int i = 0; i < segments.Count; i++)
        {
            var s = segments[i];
            if (s.ObservationSize != ObservationSize || s.ActionSize != ActionSize || s.Capacity != SegmentSize)
                throw new InvalidDataException($"replay segment {s.Number} has another layout than this buffer");
            if (i > 0 && s.Number != segments[i - 1].Number + 1) throw new InvalidDataException($"replay segments {segments[i - 1].Number} and {s.Number} are not consecutive");
            if (i < segments.Count - 1 && !s.Full) throw new InvalidDataException($"replay segment {s.Number} is not full but is not the last");
        }
        if (segments.Count > MaxSegments) throw new InvalidDataException($"{segments.Count} replay segments; this buffer holds at most {MaxSegments}");
        _segments.Clear();
        _segments.AddRange(segments);
        Appended = segments.Count == 0 ? 0 : segments[^1].Number * SegmentSize + segments[^1].Count;
    }
}
