using MetaRl.Grains.Interfaces;
using MetaRl.Grains.Interfaces.Contracts;
using MetaRl.Grains.Interfaces.State;
using MetaRl.Storage;

namespace MetaRl.Grains;

/// <summary>MQL's propensity estimate for one task of a run (see Learning/Algorithms/Mql/PropensityEstimator).</summary>
public sealed class PropensityGrain(IBlobStore store, GrainKey key, string runId, string taskId) : IPropensityGrain
{
    public GrainKey Key { get; } = key;
    private string Path => StoragePaths.Propensity(runId, taskId);

    public async Task<PropensityState?> GetAsync(CancellationToken cancellationToken) =>
        (await store.ReadAsync<PropensityState>(Path, cancellationToken).ConfigureAwait(false))?.Value;

    public async Task SaveAsync(PropensityState state, CancellationToken cancellationToken)
    {
        if (state.RunId != runId || state.TaskId != taskId) throw new ArgumentException($"state of {state.RunId}/{state.TaskId} given to the grain of {runId}/{taskId}", nameof(state));
        await store.WriteAsync(Path, state, WriteCondition.None, null, cancellationToken).ConfigureAwait(false);
    }
}
