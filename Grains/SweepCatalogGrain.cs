using MetaRl.Grains.Interfaces;
using MetaRl.Grains.Interfaces.State;
using Microsoft.Extensions.Logging;

namespace MetaRl.Grains;

/// <summary>Every sweep of the storage: what `metarl sweep list` shows, and whom failover wakes.</summary>
public sealed class SweepCatalogGrain(
    [PersistentState("catalog")] IPersistentState<SweepCatalogState> state,
    ILogger<SweepCatalogGrain> logger) : Grain, ISweepCatalogGrain
{
    public Task<List<SweepCatalogEntry>> ListAsync(CancellationToken cancellationToken) =>
        Task.FromResult(state.State.Sweeps.Values.OrderBy(s => s.Submitted).ThenBy(s => s.Id).ToList());

    public async Task UpsertAsync(SweepCatalogEntry entry, CancellationToken cancellationToken)
    {
        if (state.State.Sweeps.TryGetValue(entry.Id, out var known) && known == entry) return;
        state.State = state.State with { Sweeps = new(state.State.Sweeps) { [entry.Id] = entry } };
        await state.WriteStateAsync(cancellationToken);
    }

    public async Task<int> WakeAllAsync(CancellationToken cancellationToken)
    {
        var unfinished = state.State.Sweeps.Values.Where(s => !s.Finished).Select(s => s.Id).ToList();
        await Task.WhenAll(unfinished.Select(async id =>
        {
            try
            {
                await GrainFactory.GetGrain<ISweepGrain>(id).WakeAsync(cancellationToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogWarning("Sweep {SweepId} could not be woken now ({Message}); its reminder will", id, e.Message);
            }
        }));
        return unfinished.Count;
    }
}
