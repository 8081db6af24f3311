using System.Text;
using MetaRl.Grains.Interfaces;
using MetaRl.Grains.Interfaces.Contracts;
using MetaRl.Grains.Interfaces.State;
using MetaRl.Storage;

namespace MetaRl.Grains;

/// <summary>RoML's task distribution of a run (written by its executor at every checkpoint) and its full update history.</summary>
public sealed class CemSamplerGrain(IBlobStore store, GrainKey key) : ICemSamplerGrain
{
    public GrainKey Key { get; } = key;

    public async Task<CemSamplerState?> GetAsync(CancellationToken cancellationToken) =>
        (await store.ReadAsync<CemSamplerState>(StoragePaths.Cem(Key.Id), cancellationToken).ConfigureAwait(false))?.Value;

    public async Task<IReadOnlyList<string>> HistoryAsync(CancellationToken cancellationToken)
    {
        var bytes = await store.ReadFromAsync(StoragePaths.CemHistory(Key.Id), 0, cancellationToken).ConfigureAwait(false);
        return bytes is null ? [] : Encoding.UTF8.GetString(bytes).Split('\n', StringSplitOptions.RemoveEmptyEntries);
    }
}
