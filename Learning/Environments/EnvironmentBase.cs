using MetaRl.Learning.Common;

namespace MetaRl.Learning.Environments;

/// <summary>
/// What every environment shares: the task, its random stream, the step counter, the horizon,
/// action clipping, and a save/restore format of [step index | stream state | subclass state].
/// Subclasses implement the dynamics in <see cref="ResetCore"/> and <see cref="StepCore"/>.
/// </summary>
public abstract class EnvironmentBase : IEnvironment
{
    private readonly float[] _clipped;

    protected EnvironmentBase(MetaTask task, ulong seed, int horizon, int observationSize, Space actionSpace)
    {
        Task = task;
        Random = new RandomStream(seed);
        Horizon = horizon;
        ObservationSize = observationSize;
        ActionSpace = actionSpace;
        _clipped = new float[actionSpace.Size];
    }

    public MetaTask Task { get; }
    public int Horizon { get; }
    public int ObservationSize { get; }
    public Space ActionSpace { get; }
    public int StepIndex { get; private set; }

    /// <summary>The environment's own random stream (initial states, noise).</summary>
    protected RandomStream Random { get; }

    public void Reset(Span<float> observation)
    {
        CheckObservation(observation);
        StepIndex = 0;
        ResetCore(observation);
    }

    public StepResult Step(ReadOnlySpan<float> action, Span<float> observation)
    {
        CheckObservation(observation);
        if (action.Length != ActionSpace.Size) throw new ArgumentException($"action has {action.Length} values, the action space {ActionSpace.Size}", nameof(action));
        action.CopyTo(_clipped);
        if (ActionSpace is BoxSpace box) box.Clip(_clipped);
        var (reward, terminated, badPhysics) = StepCore(_clipped, observation);
        StepIndex++;
        return new StepResult(reward, terminated || badPhysics, StepIndex >= Horizon && !(terminated || badPhysics), badPhysics);
    }

    /// <summary>Starts an episode and writes the first observation.</summary>
    protected abstract void ResetCore(Span<float> observation);

    /// <summary>One step with an action already clipped to the action space.</summary>
    protected abstract (double Reward, bool Terminated, bool BadPhysics) StepCore(ReadOnlySpan<float> action, Span<float> observation);

    /// <summary>The subclass's part of the state (simulator state, positions, boards).</summary>
    protected abstract void SaveCore(BinaryWriter writer);

    protected abstract void RestoreCore(BinaryReader reader);

    public byte[] SaveState()
    {
        using var stream = new MemoryStream();
        using (var w = new BinaryWriter(stream))
        {
            w.Write(StepIndex);
            w.Write(Random.GetState());
            SaveCore(w);
        }
        return stream.ToArray();
    }

    /// <summary>Restores a <see cref="SaveState"/> result; a malformed state throws <see cref="InvalidDataException"/> and changes nothing.</summary>
    public void RestoreState(ReadOnlySpan<byte> state)
    {
        var rollback = SaveState();
        try
        {
            Apply(state);
        }
        catch (Exception e) when (e is InvalidDataException or EndOfStreamException or ArgumentException)
        {
            Apply(rollback);
            throw e as InvalidDataException ?? new InvalidDataException($"environment state is malformed: {e.Message}", e);
        }
    }

    private void Apply(ReadOnlySpan<byte> state)
    {
        using var stream = new MemoryStream(state.ToArray());
        using var r = new BinaryReader(stream);
        try
        {
            var step = r.ReadInt32();
            var random = r.ReadBytes(RandomStream.StateSize);
            if (random.Length != RandomStream.StateSize) throw new EndOfStreamException();
            RestoreCore(r);
            if (stream.Position != stream.Length) throw new InvalidDataException($"environment state has {stream.Length - stream.Position} unexpected trailing bytes");
            Random.SetState(random);
            StepIndex = step;
        }
        catch (EndOfStreamException)
        {
            throw new InvalidDataException("environment state is truncated");
        }
    }

    private void CheckObservation(Span<float> observation)
    {
        if (observation.Length != ObservationSize) throw new ArgumentException($"observation buffer has {observation.Length} values, the environment writes {ObservationSize}", nameof(observation));
    }

    public virtual void Dispose() => GC.SuppressFinalize(this);
}
