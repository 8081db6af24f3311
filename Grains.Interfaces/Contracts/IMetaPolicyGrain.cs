using MetaRl.Grains.Interfaces.State;

namespace MetaRl.Grains.Interfaces.Contracts;

/// <summary>One training run: its state, its committed metrics, and what users ask of it.</summary>
public interface IMetaPolicyGrain : IGrain
{
    Task<RunState?> GetAsync(CancellationToken cancellationToken);

    /// <summary>The metric lines (JSON) of the committed iterations from line <paramref name="fromLine"/> on.</summary>
    Task<IReadOnlyList<string>> MetricsAsync(int fromLine, CancellationToken cancellationToken);

    /// <summary>Asks the owning silo (or the next one) to run, pause or cancel the run.</summary>
    Task RequestAsync(RunDesire desired, CancellationToken cancellationToken);
}
