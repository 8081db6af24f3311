using MetaRl.Grains.Interfaces.State;

namespace MetaRl.Grains.Interfaces.Contracts;

/// <summary>RoML's task distribution of a run, as of its last committed checkpoint, and its update history.</summary>
public interface ICemSamplerGrain : IGrain
{
    Task<CemSamplerState?> GetAsync(CancellationToken cancellationToken);

    /// <summary>Every CEM update's full record (JSON lines: samples, weights, scores, selections, quantiles).</summary>
    Task<IReadOnlyList<string>> HistoryAsync(CancellationToken cancellationToken);
}
