using MetaRl.Grains.Interfaces.State;

namespace MetaRl.Grains.Interfaces;

/// <summary>RoML's task distribution of one run (keyed by the run id), as of its last committed checkpoint, and its update history.</summary>
[Alias("metarl.ICemSamplerGrain")]
public interface ICemSamplerGrain : IGrainWithStringKey
{
    [Alias("Get")]
    Task<CemSamplerState?> GetAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// Every CEM update's full record (JSON lines: samples, weights, scores, selections, quantiles)
    /// that a checkpoint committed, checked against the run's commit (<see cref="IMetaPolicyGrain.CemHistoryAsync"/>).
    /// </summary>
    [Alias("History")]
    Task<StoredLines> HistoryAsync(CancellationToken cancellationToken = default);

    /// <summary>The run's activation records the distribution at each checkpoint.</summary>
    [Alias("Record")]
    Task RecordAsync(CemSamplerState state, CancellationToken cancellationToken = default);
}
