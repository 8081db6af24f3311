using System.Text;
using MetaRl.Grains.Interfaces;
using MetaRl.Grains.Interfaces.Contracts;
using MetaRl.Grains.Interfaces.State;
using MetaRl.Storage;

namespace MetaRl.Grains;

/// <summary>
/// The meta-policy grain's client side: state, committed metrics, and run/pause/cancel requests.
/// Its training loop runs in <see cref="Execution.RunExecutor"/> on whichever silo holds its lease.
/// </summary>
public sealed class MetaPolicyGrain(IBlobStore store, GrainKey key) : IMetaPolicyGrain
{
    public GrainKey Key { get; } = key;

    public async Task<RunState?> GetAsync(CancellationToken cancellationToken) =>
        (await store.ReadAsync<RunState>(StoragePaths.Run(Key.Id), cancellationToken).ConfigureAwait(false))?.Value;

    public async Task<IReadOnlyList<string>> MetricsAsync(int fromLine, CancellationToken cancellationToken)
    {
        var state = await GetAsync(cancellationToken).ConfigureAwait(false);
        if (state is null) throw new KeyNotFoundException($"run '{Key.Id}' does not exist");
        var bytes = await store.ReadFromAsync(StoragePaths.RunMetrics(Key.Id), 0, cancellationToken).ConfigureAwait(false) ?? [];
        // Only committed lines count (a new owner may be about to re-append the last checkpoint's).
        var text = Encoding.UTF8.GetString(bytes, 0, (int)Math.Min(bytes.Length, state.MetricsLength));
        return text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Skip(fromLine).ToList();
    }

    public async Task RequestAsync(RunDesire desired, CancellationToken cancellationToken)
    {
        var state = await GetAsync(cancellationToken).ConfigureAwait(false) ?? throw new KeyNotFoundException($"run '{Key.Id}' does not exist");
        await store.WriteAsync(StoragePaths.RunControl(Key.Id), new RunControl(desired, DateTimeOffset.UtcNow), WriteCondition.None, null, cancellationToken).ConfigureAwait(false);
        if (desired == RunDesire.Run && state.Status is RunStatus.Paused or RunStatus.Pending)
        {
            // A paused run is not in the runnable index; put it back for the silos.
            await store.CreateIfMissingAsync(StoragePaths.RunnableMarker(Key.Id, state.Gpu), new { RunId = Key.Id, state.Cores }, cancellationToken).ConfigureAwait(false);
        }
    }
}
