namespace MetaRl.Learning.Environments;

/// <summary>What one environment step produced.</summary>
/// <param name="Reward">The step's reward.</param>
/// <param name="Terminated">The episode ended inside the task (fell, reached a terminal state, bad physics).</param>
/// <param name="Truncated">The episode reached the family's horizon.</param>
/// <param name="BadPhysics">The simulation diverged or MuJoCo raised an error; the step paid no reward.</param>
public readonly record struct StepResult(double Reward, bool Terminated, bool Truncated, bool BadPhysics = false)
{
    public bool Done => Terminated || Truncated;
}

/// <summary>
/// One environment instance for one task. Not thread-safe; a batch steps many instances in
/// parallel, one thread per instance at a time. Deterministic: the same task, seed and actions
/// give the same observations and rewards, whatever thread runs it.
/// </summary>
public interface IEnvironment : IDisposable
{
    MetaTask Task { get; }

    int ObservationSize { get; }

    /// <summary>Steps taken in the current episode.</summary>
    int StepIndex { get; }

    /// <summary>Starts an episode (drawing initial-state noise from the environment's own stream).</summary>
    void Reset(Span<float> observation);

    /// <summary>Applies <paramref name="action"/> (clipped to the action space) and writes the next observation.</summary>
    StepResult Step(ReadOnlySpan<float> action, Span<float> observation);

    /// <summary>Everything needed to continue exactly from here: simulator state, step index, random stream.</summary>
    byte[] SaveState();

    void RestoreState(ReadOnlySpan<byte> state);
}
