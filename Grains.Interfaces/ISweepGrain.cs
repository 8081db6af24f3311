using MetaRl.Grains.Interfaces.Reports;
using MetaRl.Grains.Interfaces.Specs;
using MetaRl.Grains.Interfaces.State;

namespace MetaRl.Grains.Interfaces;

/// <summary>
/// A sweep, keyed by its name: expands its spec into runs with deterministic ids, starts them, keeps
/// them going (its watchdog wakes any run whose silo went away) and gathers how each ended.
/// </summary>
[Alias("metarl.ISweepGrain")]
public interface ISweepGrain : IGrainWithStringKey
{
    /// <summary>Creates the sweep and starts its runs; the same spec again only wakes unfinished runs; anything else is refused with every problem named.</summary>
    [Alias("Submit")]
    Task<SubmitResult> SubmitAsync(SweepSpec spec, CancellationToken cancellationToken = default);

    /// <summary>The sweep's state, or null when no sweep has this name.</summary>
    [Alias("Get")]
    Task<SweepState?> GetAsync(CancellationToken cancellationToken = default);

    /// <summary>Every run's live view (in grid order).</summary>
    [Alias("Runs")]
    Task<List<RunView>> RunsAsync(CancellationToken cancellationToken = default);

    /// <summary>Mean and CVaR per method and α over seeds, learning curves and CEM drift, from the runs' stored results.</summary>
    [Alias("Report")]
    Task<SweepReportData?> ReportAsync(CancellationToken cancellationToken = default);

    /// <summary>Makes every unfinished run train (or wait for room) again; what the watchdog does after a silo died.</summary>
    [Alias("Wake")]
    Task WakeAsync(CancellationToken cancellationToken = default);

    /// <summary>A failed run of this sweep was resumed: it is unfinished again (idempotent).</summary>
    [Alias("RunReopened")]
    Task RunReopenedAsync(string runId, CancellationToken cancellationToken = default);

    /// <summary>A run of this sweep tells how it ended (idempotent).</summary>
    [Alias("RunEnded")]
    Task RunEndedAsync(string runId, RunEnd end, CancellationToken cancellationToken = default);
}
