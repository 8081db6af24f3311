using MetaRl.Grains.Interfaces.State;

namespace MetaRl.Grains.Interfaces;

/// <summary>Every sweep of the storage (one catalog, key <see cref="Key"/>): what `metarl sweep list` shows and what failover wakes.</summary>
[Alias("metarl.ISweepCatalogGrain")]
public interface ISweepCatalogGrain : IGrainWithStringKey
{
    public const string Key = "all";

    [Alias("List")]
    Task<List<SweepCatalogEntry>> ListAsync(CancellationToken cancellationToken = default);

    /// <summary>A sweep tells the catalog how it stands (idempotent).</summary>
    [Alias("Upsert")]
    Task UpsertAsync(SweepCatalogEntry entry, CancellationToken cancellationToken = default);

    /// <summary>Wakes every unfinished sweep (which wake their runs); returns how many.</summary>
    [Alias("WakeAll")]
    Task<int> WakeAllAsync(CancellationToken cancellationToken = default);
}
