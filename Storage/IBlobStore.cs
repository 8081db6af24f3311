namespace MetaRl.Storage;

/// <summary>
/// The one storage abstraction everything persists through: Azure Blob Storage semantics (ETags,
/// conditional writes, append blobs, listing by prefix) over one container. It takes no leases:
/// who may write what is Orleans' business (one activation per grain), and ETag conditions keep a
/// stale writer from overwriting a newer version.
/// Paths are '/'-separated blob names ("runs/r1/state.json"). Implementations: Azure Blob Storage
/// (and Azurite) and the local file system; one contract test suite holds both to the same rules.
/// All methods are safe to call concurrently, from several processes too.
/// </summary>
public interface IBlobStore
{
    /// <summary>Human-readable location ("file:///data/metarl", "http://127.0.0.1:10000/devstoreaccount1/metarl").</summary>
    string Location { get; }

    /// <summary>Creates the container if it is missing (idempotent).</summary>
    Task EnsureCreatedAsync(CancellationToken cancellationToken);

    /// <summary>The blob's content and ETag, or null when it does not exist.</summary>
    Task<BlobContent?> ReadAsync(string path, CancellationToken cancellationToken);

    /// <summary>The blob's ETag, size and modification time, or null when it does not exist.</summary>
    Task<BlobProperties?> GetPropertiesAsync(string path, CancellationToken cancellationToken);

    /// <summary>
    /// Writes (creates or replaces) a block blob atomically: readers see the old or the new content,
    /// never a mix. <paramref name="condition"/> makes it conditional. Returns the new ETag.
    /// </summary>
    /// <exception cref="BlobConditionFailedException">The condition did not hold (412, or 409 for IfNoneMatch: *).</exception>
    Task<string> WriteAsync(string path, ReadOnlyMemory<byte> content, WriteCondition condition, CancellationToken cancellationToken);

    /// <summary>Deletes the blob; false when it did not exist. Honors the condition like writes.</summary>
    /// <exception cref="BlobConditionFailedException">The blob exists and the condition did not hold (412).</exception>
    Task<bool> DeleteAsync(string path, WriteCondition condition, CancellationToken cancellationToken);

    /// <summary>Blobs whose names start with <paramref name="prefix"/>, in name order.</summary>
    IAsyncEnumerable<BlobItem> ListAsync(string prefix, CancellationToken cancellationToken);

    /// <summary>Appends a block to an append blob, creating the blob when it is missing. Returns the blob's length afterwards.</summary>
    Task<long> AppendAsync(string path, ReadOnlyMemory<byte> block, CancellationToken cancellationToken);

    /// <summary>
    /// Appends only if the blob is exactly <paramref name="expectedLength"/> bytes long (0 for a
    /// missing blob): an append that a retry repeats, or two writers racing, cannot land twice.
    /// </summary>
    /// <exception cref="BlobConditionFailedException">The blob has another length (412).</exception>
    Task<long> AppendAtAsync(string path, ReadOnlyMemory<byte> block, long expectedLength, CancellationToken cancellationToken);

    /// <summary>Bytes of a blob from <paramref name="offset"/> to its end (empty when the offset is at the end; null when the blob is missing).</summary>
    Task<byte[]?> ReadFromAsync(string path, long offset, CancellationToken cancellationToken);
}

/// <summary>A blob's content with the ETag it had when read.</summary>
public sealed record BlobContent(byte[] Content, string ETag);

/// <summary>What listing and property reads report about a blob.</summary>
public sealed record BlobProperties(string ETag, long Length, DateTimeOffset LastModified);

public sealed record BlobItem(string Path, string ETag, long Length, DateTimeOffset LastModified);

/// <summary>A precondition of a write or delete.</summary>
public readonly record struct WriteCondition(string? IfMatch, bool IfNotExists)
{
    /// <summary>Unconditional.</summary>
    public static readonly WriteCondition None = new(null, false);

    /// <summary>Only when the blob's current ETag is <paramref name="etag"/> (optimistic concurrency).</summary>
    public static WriteCondition Match(string etag) => new(etag, false);

    /// <summary>Only when the blob does not exist yet.</summary>
    public static readonly WriteCondition NotExists = new(null, true);
}
