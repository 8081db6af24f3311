using MetaRl.Storage;

namespace MetaRl.Grains;

/// <summary>Typed reads and writes of grain state (JSON, <see cref="GrainJson.Options"/>) with ETags.</summary>
public static class GrainStorage
{
    public sealed record Versioned<T>(T Value, string ETag);

    public static async Task<Versioned<T>?> ReadAsync<T>(this IBlobStore store, string path, CancellationToken ct)
    {
        var blob = await store.ReadAsync(path, ct).ConfigureAwait(false);
        return blob is null ? null : new Versioned<T>(GrainJson.Deserialize<T>(blob.Content), blob.ETag);
    }

    public static Task<string> WriteAsync<T>(this IBlobStore store, string path, T value, WriteCondition condition, string? leaseId, CancellationToken ct) =>
        store.WriteAsync(path, GrainJson.Serialize(value), condition, leaseId, ct);

    /// <summary>
    /// Read-modify-write under optimistic concurrency: re-reads and re-applies <paramref name="update"/>
    /// until the conditional write wins. <paramref name="update"/> returns null to leave the blob as it is.
    /// </summary>
    public static async Task<T?> UpdateAsync<T>(this IBlobStore store, string path, Func<T?, T?> update, CancellationToken ct) where T : class
    {
        for (int attempt = 0; ; attempt++)
        {
            var current = await store.ReadAsync<T>(path, ct).ConfigureAwait(false);
            var next = update(current?.Value);
            if (next is null) return current?.Value;
            try
            {
                await store.WriteAsync(path, next, current is null ? WriteCondition.NotExists : WriteCondition.Match(current.ETag), null, ct).ConfigureAwait(false);
                return next;
            }
            catch (BlobConditionFailedException) when (attempt < 100)
            {
                await Task.Delay(Random.Shared.Next(5, 20 + 10 * Math.Min(attempt, 20)), ct).ConfigureAwait(false);
            }
        }
    }

    /// <summary>Creates the blob unless it exists; true when this call created it.</summary>
    public static async Task<bool> CreateIfMissingAsync<T>(this IBlobStore store, string path, T value, CancellationToken ct)
    {
        try
        {
            await store.WriteAsync(path, value, WriteCondition.NotExists, null, ct).ConfigureAwait(false);
            return true;
        }
        catch (BlobConditionFailedException)
        {
            return false;
        }
    }
}
