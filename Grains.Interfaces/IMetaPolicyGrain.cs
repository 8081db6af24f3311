using MetaRl.Grains.Interfaces.State;

namespace MetaRl.Grains.Interfaces;

/// <summary>
/// One training run, keyed by its run id. It trains inside its activation, on a dedicated thread, so
/// that it answers these calls while it trains; it commits a checkpoint at iteration boundaries.
/// </summary>
[Alias("metarl.IMetaPolicyGrain")]
public interface IMetaPolicyGrain : IGrainWithStringKey
{
    /// <summary>Creates the run from its definition if it does not exist yet, and makes it train (or wait for room) unless it ended or was paused.</summary>
    [Alias("Start")]
    Task<RunView> StartAsync(RunDefinition definition, CancellationToken cancellationToken = default);

    /// <summary>The run's durable state and live progress; null when the run does not exist.</summary>
    [Alias("Get")]
    Task<RunView?> GetAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// The metric lines (JSON) of the committed iterations from line <paramref name="fromLine"/> on,
    /// each checked against what the run committed (length, one line per iteration in order, digest);
    /// a damaged or unreadable blob is named in <see cref="StoredLines.Problem"/>, with the lines before the damage.
    /// </summary>
    [Alias("Metrics")]
    Task<StoredLines> MetricsAsync(int fromLine, CancellationToken cancellationToken = default);

    /// <summary>The committed CEM update records (JSON lines), checked like <see cref="MetricsAsync"/>.</summary>
    [Alias("CemHistory")]
    Task<StoredLines> CemHistoryAsync(CancellationToken cancellationToken = default);

    /// <summary>Pause (after the current iteration and a checkpoint), cancel (for good), or run again. Returns the run as it is afterwards (null: no such run).</summary>
    [Alias("Request")]
    Task<RunView?> RequestAsync(RunDesire desired, CancellationToken cancellationToken = default);

    /// <summary>Makes an unfinished, unpaused run train (or wait for room); a no-op when it already does.</summary>
    [Alias("Wake")]
    Task<RunView?> WakeAsync(CancellationToken cancellationToken = default);
}
