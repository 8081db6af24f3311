using System.Buffers.Binary;
using System.Runtime.InteropServices;

namespace MetaRl.Learning.Algorithms.Mql;

/// <summary>
/// A fixed-capacity block of one task's transitions, filled in order and never changed once full
/// (a sealed segment is what a checkpoint writes once and then only refers to). Per transition: the
/// observation, the action, the reward, the next observation, whether the episode terminated there,
/// and the step's index within its episode (what the context window needs to stop at an episode start).
/// </summary>
public sealed class ReplaySegment
{
    private const uint Magic = 0x4D525253; // "SRRM" little-endian: MetaRl Replay Segment
    private const int HeaderBytes = 4 + 4 * 4 + 8;

    public ReplaySegment(long number, int capacity, int observationSize, int actionSize)
    {
        if (capacity < 1) throw new ArgumentOutOfRangeException(nameof(capacity), capacity, "a segment holds at least one transition");
        Number = number;
        Capacity = capacity;
        ObservationSize = observationSize;
        ActionSize = actionSize;
        Observations = new float[capacity * observationSize];
        Actions = new float[capacity * actionSize];
        Rewards = new float[capacity];
        NextObservations = new float[capacity * observationSize];
        Terminals = new byte[capacity];
        StepIndices = new int[capacity];
    }

    /// <summary>The segment's position in its task's stream (0, 1, 2, … in the order they filled).</summary>
    public long Number { get; }
    public int Capacity { get; }
    public int ObservationSize { get; }
    public int ActionSize { get; }
    public int Count { get; private set; }
    public bool Full => Count == Capacity;

    public float[] Observations { get; }
    public float[] Actions { get; }
    public float[] Rewards { get; }
    public float[] NextObservations { get; }
    public byte[] Terminals { get; }
    public int[] StepIndices { get; }

    public void Add(ReadOnlySpan<float> observation, ReadOnlySpan<float> action, float reward, ReadOnlySpan<float> nextObservation, bool terminal, int stepIndex)
    {
        if (Full) throw new InvalidOperationException($"replay segment {Number} is full");
        if (observation.Length != ObservationSize || nextObservation.Length != ObservationSize || action.Length != ActionSize)
            throw new ArgumentException($"a transition of this segment has observations of {ObservationSize} and actions of {ActionSize} floats");
        int i = Count;
        observation.CopyTo(Observations.AsSpan(i * ObservationSize, ObservationSize));
        action.CopyTo(Actions.AsSpan(i * ActionSize, ActionSize));
        Rewards[i] = reward;
        nextObservation.CopyTo(NextObservations.AsSpan(i * ObservationSize, ObservationSize));
        Terminals[i] = terminal ? (byte)1 : (byte)0;
        StepIndices[i] = stepIndex;
        Count++;
    }

    private string? _sha256;

    /// <summary>SHA-256 of a sealed segment's bytes (lowercase hex), computed once: a sealed segment never changes.</summary>
    public string Sha256 => Full
        ? _sha256 ??= Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(ToBytes())).ToLowerInvariant()
        : throw new InvalidOperationException($"replay segment {Number} is open; only a sealed segment has a fixed hash");

    /// <summary>The segment as bytes (only the filled part): header, then each array in turn, little-endian.</summary>
    public byte[] ToBytes()
    {
        int n = Count;
        var bytes = new byte[HeaderBytes + n * (4 * (2 * ObservationSize + ActionSize + 1 + 1) + 1)];
        var span = bytes.AsSpan();
        BinaryPrimitives.WriteUInt32LittleEndian(span, Magic);
        BinaryPrimitives.WriteInt32LittleEndian(span[4..], Capacity);
        BinaryPrimitives.WriteInt32LittleEndian(span[8..], ObservationSize);
        BinaryPrimitives.WriteInt32LittleEndian(span[12..], ActionSize);
        BinaryPrimitives.WriteInt32LittleEndian(span[16..], n);
        BinaryPrimitives.WriteInt64LittleEndian(span[20..], Number);
        int pos = HeaderBytes;
        foreach (var (a, count) in new[] { (Observations, n * ObservationSize), (Actions, n * ActionSize), (Rewards, n), (NextObservations, n * ObservationSize) })
        {
            MemoryMarshal.AsBytes(a.AsSpan(0, count)).CopyTo(span[pos..]);
            pos += count * 4;
        }
        Terminals.AsSpan(0, n).CopyTo(span[pos..]);
        pos += n;
        MemoryMarshal.AsBytes(StepIndices.AsSpan(0, n)).CopyTo(span[pos..]);
        return bytes;
    }

    /// <summary>Reads what <see cref="ToBytes"/> wrote; anything inconsistent throws <see cref="InvalidDataException"/>.</summary>
    public static ReplaySegment FromBytes(ReadOnlySpan<byte> bytes)
    {
        if (!BitConverter.IsLittleEndian) throw new PlatformNotSupportedException("replay segments are stored little-endian");
        if (bytes.Length < HeaderBytes || BinaryPrimitives.ReadUInt32LittleEndian(bytes) != Magic) throw new InvalidDataException("not a replay segment (bad magic)");
        int capacity = BinaryPrimitives.ReadInt32LittleEndian(bytes[4..]);
        int obs = BinaryPrimitives.ReadInt32LittleEndian(bytes[8..]);
        int act = BinaryPrimitives.ReadInt32LittleEndian(bytes[12..]);
        int n = BinaryPrimitives.ReadInt32LittleEndian(bytes[16..]);
        long number = BinaryPrimitives.ReadInt64LittleEndian(bytes[20..]);
        if (capacity < 1 || obs < 1 || act < 1 || n < 0 || n > capacity || number < 0) throw new InvalidDataException("replay segment header is inconsistent");
        long expected = HeaderBytes + (long)n * (4 * (2 * obs + act + 1 + 1) + 1);
        if (bytes.Length != expected) throw new InvalidDataException($"replay segment of {n} transitions should be {expected} bytes, is {bytes.Length}");
        var s = new ReplaySegment(number, capacity, obs, act) { Count = n };
        int pos = HeaderBytes;
        foreach (var (a, count) in new[] { (s.Observations, n * obs), (s.Actions, n * act), (s.Rewards, n), (s.NextObservations, n * obs) })
        {
            bytes.Slice(pos, count * 4).CopyTo(MemoryMarshal.AsBytes(a.AsSpan(0, count)));
            pos += count * 4;
        }
        bytes.Slice(pos, n).CopyTo(s.Terminals);
        pos += n;
        bytes.Slice(pos, n * 4).CopyTo(MemoryMarshal.AsBytes(s.StepIndices.AsSpan(0, n)));
        return s;
    }
}
