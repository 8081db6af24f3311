using MetaRl.Grains.Interfaces;
using MetaRl.Grains.Interfaces.State;
using MetaRl.Storage;
using Microsoft.Extensions.Logging;
using Orleans.Concurrency;

namespace MetaRl.Grains;

/// <summary>
/// Every sweep of the storage: what `metarl sweep list` shows, and whom failover wakes. Membership
/// follows from the stored sweeps (<see cref="SweepIndex"/>, written before a sweep's state): a sweep
/// the catalog has not heard of (its submission stopped after storing it) is listed from its own
/// state, and woken and recorded by failover. Reentrant, so that a sweep it wakes can tell it how it
/// stands meanwhile; its own writes go one at a time.
/// </summary>
[Reentrant]
public sealed class SweepCatalogGrain(
    [PersistentState("catalog")] IPersistentState<SweepCatalogState> state,
    IBlobStore store,
    ILogger<SweepCatalogGrain> logger) : Grain, ISweepCatalogGrain
{
    private readonly SemaphoreSlim _writeGate = new(1, 1);

    /// <summary>Every stored sweep; those the catalog has no entry for, from their state (nothing is written: a read).</summary>
    public async Task<List<SweepCatalogEntry>> ListAsync(CancellationToken cancellationToken)
    {
        var all = new Dictionary<string, SweepCatalogEntry>(state.State.Sweeps);
        foreach (var (id, entry) in await UnrecordedAsync(cancellationToken)) all[id] = entry;
        return all.Values.OrderBy(s => s.Submitted).ThenBy(s => s.Id).ToList();
    }

    public async Task UpsertAsync(SweepCatalogEntry entry, CancellationToken cancellationToken)
    {
        await _writeGate.WaitAsync(cancellationToken);
        try
        {
            if (state.State.Sweeps.TryGetValue(entry.Id, out var known) && known == entry) return;
            state.State = state.State with { Sweeps = new(state.State.Sweeps) { [entry.Id] = entry } };
            await state.WriteStateAsync(cancellationToken);
        }
        finally
        {
            _writeGate.Release();
        }
    }

    public async Task<int> WakeAllAsync(CancellationToken cancellationToken)
    {
        // A stored sweep the catalog missed is recorded now, so that the next failover finds it here too.
        foreach (var (_, entry) in await UnrecordedAsync(cancellationToken))
            if (entry.Problem is null) await UpsertAsync(entry, cancellationToken);
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

    /// <summary>The indexed sweeps without a catalog entry that are stored (one whose submission stopped before its state is not), each as its state says.</summary>
    private async Task<List<(string Id, SweepCatalogEntry Entry)>> UnrecordedAsync(CancellationToken cancellationToken)
    {
        var found = new List<(string, SweepCatalogEntry)>();
        foreach (var id in await SweepIndex.ListAsync(store, cancellationToken))
        {
            if (state.State.Sweeps.ContainsKey(id)) continue;
            try
            {
                if (await GrainFactory.GetGrain<ISweepGrain>(id).GetAsync(cancellationToken) is { } sweep) found.Add((id, EntryOf(sweep)));
            }
            catch (Exception e) when (StoredData.IsUnreadable(e))
            {
                found.Add((id, new SweepCatalogEntry { Id = id, Problem = $"its stored state cannot be read: {StoredData.Describe(e)}" }));
            }
        }
        return found;
    }

    /// <summary>How a sweep stands, as the catalog lists it.</summary>
    public static SweepCatalogEntry EntryOf(SweepState s) => new()
    {
        Id = s.Id,
        Family = s.Spec.Family,
        Learner = s.Spec.Learner,
        Runs = s.Runs.Count,
        Completed = s.Completed,
        Failed = s.Ended.Values.Count(e => e.Status == RunStatus.Failed),
        Cancelled = s.Ended.Values.Count(e => e.Status == RunStatus.Cancelled),
        Submitted = s.Submitted,
        Finished = s.Complete,
    };
}
