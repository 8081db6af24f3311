namespace MetaRl.Learning.Environments;

/// <summary>
/// Steps many environments (typically one per task of a meta-batch) across the machine's cores.
/// Each environment is independent, so results do not depend on the thread count or schedule.
/// Observations are rows of one [count × observationSize] buffer, actions of one [count × actionSize] buffer.
/// </summary>
public sealed class EnvironmentBatch : IDisposable
{
    private readonly IEnvironment[] _environments;
    private readonly ParallelOptions _parallel;

    public EnvironmentBatch(IReadOnlyList<IEnvironment> environments, int actionSize, int threads = 0)
    {
        if (environments.Count == 0) throw new ArgumentException("a batch needs at least one environment", nameof(environments));
        _environments = environments.ToArray();
        ObservationSize = _environments[0].ObservationSize;
        if (_environments.Any(e => e.ObservationSize != ObservationSize)) throw new ArgumentException("environments of a batch share one observation size");
        ActionSize = actionSize;
        Threads = threads > 0 ? threads : Environment.ProcessorCount;
        _parallel = new ParallelOptions { MaxDegreeOfParallelism = Threads };
    }

    public int Count => _environments.Length;
    public int ObservationSize { get; }
    public int ActionSize { get; }
    public int Threads { get; }
    public IReadOnlyList<IEnvironment> Environments => _environments;

    public void Reset(float[] observations)
    {
        CheckLength(observations.Length, Count * ObservationSize, nameof(observations));
        ForEach(i => _environments[i].Reset(observations.AsSpan(i * ObservationSize, ObservationSize)));
    }

    /// <summary>Steps every environment whose <paramref name="active"/> flag is set (all when null).</summary>
    public void Step(float[] actions, float[] observations, StepResult[] results, bool[]? active = null)
    {
        CheckLength(actions.Length, Count * ActionSize, nameof(actions));
        CheckLength(observations.Length, Count * ObservationSize, nameof(observations));
        CheckLength(results.Length, Count, nameof(results));
        ForEach(i =>
        {
            if (active is not null && !active[i]) return;
            results[i] = _environments[i].Step(actions.AsSpan(i * ActionSize, ActionSize), observations.AsSpan(i * ObservationSize, ObservationSize));
        });
    }

    private void ForEach(Action<int> body)
    {
        if (Threads == 1 || Count == 1)
        {
            for (int i = 0; i < Count; i++) body(i);
            return;
        }
        // One work item per environment: environments of different tasks cost different amounts
        // (contacts, falls), and dynamic hand-out keeps both cores busy until the last one is done.
        Parallel.For(0, Count, _parallel, body);
    }

    private static void CheckLength(int actual, int expected, string name)
    {
        if (actual != expected) throw new ArgumentException($"{name} holds {actual} values, the batch needs {expected}", name);
    }

    public void Dispose()
    {
        foreach (var e in _environments) e.Dispose();
    }
}
