using MetaRl.Storage;

namespace MetaRl.Grains.Tests;

/// <summary>
/// A store for tests that need to act at an exact moment: its next <see cref="FailingLists"/> listings fail
/// as an unreachable service would, and <see cref="AfterWrite"/> sees every successful write; everything
/// else passes through.
/// </summary>
internal sealed class InterceptingStore(IBlobStore inner) : IBlobStore
{
    private int _failingLists;

    public int FailingLists
    {
        get => Volatile.Read(ref _failingLists);
        set => Volatile.Write(ref _failingLists, value);
    }

    public string Location => inner.Location;
    public Task EnsureCreatedAsync(CancellationToken ct) => inner.EnsureCreatedAsync(ct);
    public Task<BlobContent?> ReadAsync(string path, CancellationToken ct) => inner.ReadAsync(path, ct);
    public Task<BlobProperties?> GetPropertiesAsync(string path, CancellationToken ct) => inner.GetPropertiesAsync(path, ct);
    public Action<string, ReadOnlyMemory<byte>>? AfterWrite { get; init; }

    public async Task<string> WriteAsync(string path, ReadOnlyMemory<byte> content, WriteCondition condition, string? leaseId, CancellationToken ct)
    {
        var etag = await inner.WriteAsync(path, content, condition, leaseId, ct).ConfigureAwait(false);
        AfterWrite?.Invoke(path, content);
        return etag;
    }
    public Task<bool> DeleteAsync(string path, WriteCondition condition, string? leaseId, CancellationToken ct) => inner.DeleteAsync(path, condition, leaseId, ct);
    public Task<string> AcquireLeaseAsync(string path, TimeSpan duration, string proposedLeaseId, CancellationToken ct) => inner.AcquireLeaseAsync(path, duration, proposedLeaseId, ct);
    public Task RenewLeaseAsync(string path, string leaseId, CancellationToken ct) => inner.RenewLeaseAsync(path, leaseId, ct);
    public Task ReleaseLeaseAsync(string path, string leaseId, CancellationToken ct) => inner.ReleaseLeaseAsync(path, leaseId, ct);
    public Task<long> AppendAsync(string path, ReadOnlyMemory<byte> block, CancellationToken ct) => inner.AppendAsync(path, block, ct);
    public Task<long> AppendAtAsync(string path, ReadOnlyMemory<byte> block, long expectedLength, CancellationToken ct) => inner.AppendAtAsync(path, block, expectedLength, ct);
    public Task<byte[]?> ReadFromAsync(string path, long offset, CancellationToken ct) => inner.ReadFromAsync(path, offset, ct);

    public IAsyncEnumerable<BlobItem> ListAsync(string prefix, CancellationToken ct)
    {
        if (Interlocked.Decrement(ref _failingLists) >= 0) throw new BlobStoreException($"listing {prefix}: the service did not answer", 503);
        return inner.ListAsync(prefix, ct);
    }
}
