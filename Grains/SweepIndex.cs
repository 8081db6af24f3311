using MetaRl.Grains.Interfaces;
using MetaRl.Storage;

namespace MetaRl.Grains;

/// <summary>
/// The data store's index of stored sweeps: a small blob <c>sweeps/{id}</c> per sweep, written before
/// the sweep's state, so that every stored sweep is in it whatever stops a submission afterwards
/// (an interrupt before the catalog heard of it, say). The catalog lists from it; the blob store lists
/// by prefix on every provider, where grain state (Orleans' own Azure provider) does not.
/// </summary>
public static class SweepIndex
{
    public const string Prefix = "sweeps/";

    public static string Of(string sweepId) => Prefix + sweepId;

    /// <summary>Adds the sweep (idempotent: an entry that is there is left as it is).</summary>
    public static async Task AddAsync(IBlobStore store, string sweepId, DateTimeOffset submitted, CancellationToken ct)
    {
        var content = GrainJson.Serialize(new { sweep = sweepId, submitted });
        try
        {
            await store.WriteAsync(Of(sweepId), content, WriteCondition.NotExists, ct);
        }
        catch (BlobConditionFailedException)
        {
            // Indexed already.
        }
        catch (BlobStoreException e) when (e.Status == 404 && e is not BlobNotFoundException)
        {
            // No data container yet (a query-only silo stores the first sweep of a folder): make it.
            await store.EnsureCreatedAsync(ct);
            await AddAsync(store, sweepId, submitted, ct);
        }
    }

    /// <summary>The ids of the indexed sweeps, in name order.</summary>
    public static async Task<List<string>> ListAsync(IBlobStore store, CancellationToken ct)
    {
        var ids = new List<string>();
        await foreach (var item in store.ListAsync(Prefix, ct))
        {
            var id = item.Path[Prefix.Length..];
            if (GrainKey.IsValidSegment(id)) ids.Add(id);
        }
        return ids;
    }
}
