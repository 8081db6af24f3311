using MetaRl.Grains.Interfaces.Specs;
using MetaRl.Grains.Interfaces.State;

namespace MetaRl.Grains.Interfaces.Contracts;

/// <summary>A sweep: expands its spec into runs (idempotently) and aggregates their results.</summary>
public interface ISweepGrain : IGrain
{
    /// <summary>Creates the sweep and its runs, or returns the existing sweep when the same spec was submitted before.</summary>
    Task<SweepState> SubmitAsync(SweepSpec spec, CancellationToken cancellationToken);

    Task<SweepState?> GetAsync(CancellationToken cancellationToken);

    /// <summary>Records a finished run's summary (idempotent).</summary>
    Task RecordResultAsync(RunSummary summary, CancellationToken cancellationToken);
}
