using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Azure;
using Azure.Core;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Azure.Storage.Blobs.Specialized;

namespace MetaRl.Storage;

/// <summary>
/// <see cref="IBlobStore"/> on Azure Blob Storage (or Azurite) through the official SDK, over one
/// container. Block blobs are written with one Put Blob (atomic replace) carrying the ETag
/// conditions; append blobs take Append Block. The service's answers map to
/// the contract's exceptions (<see cref="AzureErrorMapping"/>). Transient failures (connection
/// refused, timeouts, 5xx, 408, 429) are retried by the SDK's exponential retry policy; what still
/// fails surfaces as a <see cref="BlobStoreException"/> (status 0 when no answer came) for callers
/// to retry at a higher level.
/// </summary>
public sealed class AzureBlobStore : IBlobStore
{
    // Append Block accepts at most 4 MiB per call on every service version; larger appends are split.
    private const int MaxAppendBlockBytes = 4 * 1024 * 1024;

    private readonly BlobContainerClient _container;

    /// <param name="connectionString">An Azure Storage connection string (account key or SAS).</param>
    /// <param name="containerName">The one container holding all state.</param>
    /// <param name="clientOptions">SDK options; null for <see cref="CreateClientOptions"/> with its defaults.</param>
    public AzureBlobStore(string connectionString, string containerName, BlobClientOptions? clientOptions = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        if (!StorageOptions.IsValidContainerName(containerName))
            throw new ArgumentException($"container '{containerName}' is not valid: 3-63 lowercase letters, digits and single hyphens", nameof(containerName));
        try
        {
            _container = new BlobContainerClient(connectionString, containerName, clientOptions ?? CreateClientOptions());
        }
        catch (FormatException e)
        {
            throw new ArgumentException($"the Azure Storage connection string is not valid: {e.Message}", nameof(connectionString), e);
        }
        Location = _container.Uri.ToString();
    }

    /// <summary>The store for <see cref="StorageOptions.ConnectionString"/> and <see cref="StorageOptions.Container"/>.</summary>
    /// <exception cref="ArgumentException">The options are not valid for the azure provider.</exception>
    public static AzureBlobStore Create(StorageOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = (options with { Provider = StorageOptions.AzureProvider }).Validate();
        if (errors.Count > 0) throw new ArgumentException(string.Join("; ", errors), nameof(options));
        return new AzureBlobStore(options.ConnectionString!, options.Container);
    }

    /// <summary>
    /// SDK options with exponential retries: by default 6 retries from 0.2 s doubling up to 5 s
    /// (about 11 s in all before giving up), and 30 s for any single request.
    /// </summary>
    public static BlobClientOptions CreateClientOptions(int maxRetries = 6, TimeSpan? delay = null, TimeSpan? maxDelay = null, TimeSpan? networkTimeout = null)
    {
        var options = new BlobClientOptions();
        options.Retry.Mode = RetryMode.Exponential;
        options.Retry.MaxRetries = maxRetries;
        options.Retry.Delay = delay ?? TimeSpan.FromSeconds(0.2);
        options.Retry.MaxDelay = maxDelay ?? TimeSpan.FromSeconds(5);
        options.Retry.NetworkTimeout = networkTimeout ?? TimeSpan.FromSeconds(30);
        return options;
    }

    public string Location { get; }

    public Task EnsureCreatedAsync(CancellationToken cancellationToken) =>
        CallAsync("", async () =>
        {
            await _container.CreateIfNotExistsAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
            return true;
        }, cancellationToken);

    public Task<BlobContent?> ReadAsync(string path, CancellationToken cancellationToken)
    {
        BlobPaths.Validate(path, nameof(path));
        return CallAsync(path, async () =>
        {
            try
            {
                var r = await _container.GetBlobClient(path).DownloadContentAsync(cancellationToken).ConfigureAwait(false);
                return new BlobContent(r.Value.Content.ToArray(), Tag(r.Value.Details.ETag));
            }
            catch (RequestFailedException e) when (e.Status == 404)
            {
                return (BlobContent?)null;
            }
        }, cancellationToken);
    }

    public Task<BlobProperties?> GetPropertiesAsync(string path, CancellationToken cancellationToken)
    {
        BlobPaths.Validate(path, nameof(path));
        return CallAsync(path, async () =>
        {
            try
            {
                var p = (await _container.GetBlobClient(path).GetPropertiesAsync(cancellationToken: cancellationToken).ConfigureAwait(false)).Value;
                return new BlobProperties(Tag(p.ETag), p.ContentLength, p.LastModified);
            }
            catch (RequestFailedException e) when (e.Status == 404)
            {
                return (BlobProperties?)null;
            }
        }, cancellationToken);
    }

    public Task<string> WriteAsync(string path, ReadOnlyMemory<byte> content, WriteCondition condition, CancellationToken cancellationToken)
    {
        BlobPaths.Validate(path, nameof(path));
        BlobPaths.ValidateCondition(condition, nameof(condition));
        return CallAsync(path, async () =>
        {
            using var stream = AsStream(content);
            // BlockBlobClient.Upload is a single Put Blob: the replace is atomic, unlike a staged upload.
            var r = await _container.GetBlockBlobClient(path)
                .UploadAsync(stream, new BlobUploadOptions { Conditions = Conditions(condition) }, cancellationToken)
                .ConfigureAwait(false);
            return Tag(r.Value.ETag);
        }, cancellationToken);
    }

    public Task<bool> DeleteAsync(string path, WriteCondition condition, CancellationToken cancellationToken)
    {
        BlobPaths.Validate(path, nameof(path));
        BlobPaths.ValidateCondition(condition, nameof(condition));
        return CallAsync(path, async () =>
        {
            if (condition.IfNotExists)
            {
                // "Delete only if it does not exist" can never delete anything. Decided here, because
                // services differ on If-None-Match:* for deletes (Azurite ignores it and deletes).
                var exists = (await _container.GetBlobClient(path).ExistsAsync(cancellationToken).ConfigureAwait(false)).Value;
                return exists ? throw new BlobConditionFailedException(path, 412) : false;
            }
            try
            {
                var r = await _container.GetBlobClient(path)
                    .DeleteIfExistsAsync(DeleteSnapshotsOption.IncludeSnapshots, Conditions(condition), cancellationToken)
                    .ConfigureAwait(false);
                return r.Value;
            }
            catch (RequestFailedException e) when (e.Status == 404)
            {
                return false; // the container is missing too: so is the blob
            }
        }, cancellationToken);
    }

    public async IAsyncEnumerable<BlobItem> ListAsync(string prefix, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        BlobPaths.ValidatePrefix(prefix, nameof(prefix));
        var items = _container.GetBlobsAsync(BlobTraits.None, BlobStates.None, prefix.Length == 0 ? null : prefix, cancellationToken)
            .GetAsyncEnumerator(cancellationToken);
        try
        {
            while (await CallAsync(prefix, async () =>
                   {
                       try
                       {
                           return await items.MoveNextAsync().ConfigureAwait(false);
                       }
                       catch (RequestFailedException e) when (e.Status == 404)
                       {
                           return false; // no container, no blobs
                       }
                   }, cancellationToken).ConfigureAwait(false))
            {
                var item = items.Current;
                yield return new BlobItem(item.Name, Tag(item.Properties.ETag ?? default), item.Properties.ContentLength ?? 0,
                    item.Properties.LastModified ?? DateTimeOffset.MinValue);
            }
        }
        finally
        {
            await items.DisposeAsync().ConfigureAwait(false);
        }
    }

    /// <remarks>
    /// A block over 4 MiB goes in several Append Block calls, so concurrent appenders can interleave
    /// its parts. An append the SDK retries after a timeout may, rarely, land twice (Azure applied
    /// the first attempt but its answer was lost), as with any at-least-once append.
    /// </remarks>
    public Task<long> AppendAsync(string path, ReadOnlyMemory<byte> block, CancellationToken cancellationToken)
    {
        BlobPaths.Validate(path, nameof(path));
        return CallAsync(path, async () =>
        {
            var client = _container.GetAppendBlobClient(path);
            if (block.IsEmpty)
            {
                await client.CreateIfNotExistsAsync(new AppendBlobCreateOptions(), cancellationToken).ConfigureAwait(false);
                return (await client.GetPropertiesAsync(cancellationToken: cancellationToken).ConfigureAwait(false)).Value.ContentLength;
            }
            long length = 0;
            for (int start = 0; start < block.Length; start += MaxAppendBlockBytes)
            {
                var part = block.Slice(start, Math.Min(MaxAppendBlockBytes, block.Length - start));
                var info = await AppendPartAsync(client, part, cancellationToken).ConfigureAwait(false);
                length = long.Parse(info.BlobAppendOffset, System.Globalization.CultureInfo.InvariantCulture) + part.Length;
            }
            return length;
        }, cancellationToken);
    }

    public Task<long> AppendAtAsync(string path, ReadOnlyMemory<byte> block, long expectedLength, CancellationToken cancellationToken)
    {
        BlobPaths.Validate(path, nameof(path));
        ArgumentOutOfRangeException.ThrowIfNegative(expectedLength);
        return CallAsync(path, async () =>
        {
            var client = _container.GetAppendBlobClient(path);
            if (expectedLength == 0) await client.CreateIfNotExistsAsync(new AppendBlobCreateOptions(), cancellationToken).ConfigureAwait(false);
            long length = expectedLength;
            for (int start = 0; start < block.Length; start += MaxAppendBlockBytes)
            {
                var part = block.Slice(start, Math.Min(MaxAppendBlockBytes, block.Length - start));
                using var stream = AsStream(part);
                // The append position condition makes a retried append fail (412) instead of landing twice.
                var options = new AppendBlobAppendBlockOptions { Conditions = new AppendBlobRequestConditions { IfAppendPositionEqual = length } };
                try
                {
                    await client.AppendBlockAsync(stream, options, cancellationToken).ConfigureAwait(false);
                }
                catch (RequestFailedException e) when (e.ErrorCode == "BlobNotFound")
                {
                    throw new BlobConditionFailedException(path, 412, e); // missing: its length is 0, not the expected one
                }
                length += part.Length;
            }
            if (block.IsEmpty)
            {
                var actual = (await client.GetPropertiesAsync(cancellationToken: cancellationToken).ConfigureAwait(false)).Value.ContentLength;
                if (actual != expectedLength) throw new BlobConditionFailedException(path, 412);
            }
            return length;
        }, cancellationToken);
    }

    public Task<byte[]?> ReadFromAsync(string path, long offset, CancellationToken cancellationToken)
    {
        BlobPaths.Validate(path, nameof(path));
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        return CallAsync(path, async () =>
        {
            try
            {
                var blob = _container.GetBlobClient(path);
                // A range starting at 0 would be refused (416) on an empty blob; ask for all of it instead.
                var r = offset == 0
                    ? await blob.DownloadContentAsync(cancellationToken).ConfigureAwait(false)
                    : await blob.DownloadContentAsync(new BlobDownloadOptions { Range = new HttpRange(offset) }, cancellationToken).ConfigureAwait(false);
                return r.Value.Content.ToArray();
            }
            catch (RequestFailedException e) when (e.Status == 404)
            {
                return null;
            }
            catch (RequestFailedException e) when (e.Status == 416)
            {
                return Array.Empty<byte>(); // the offset is at (or past) the end
            }
        }, cancellationToken);
    }

    // ---- helpers -----------------------------------------------------------------------------

    private static async Task<BlobAppendInfo> AppendPartAsync(AppendBlobClient client, ReadOnlyMemory<byte> part, CancellationToken cancellationToken)
    {
        // Append first and create only when Azure says the blob is missing: one call per append in the common case.
        try
        {
            using var stream = AsStream(part);
            return (await client.AppendBlockAsync(stream, new AppendBlobAppendBlockOptions(), cancellationToken).ConfigureAwait(false)).Value;
        }
        catch (RequestFailedException e) when (e.ErrorCode == "BlobNotFound")
        {
            await client.CreateIfNotExistsAsync(new AppendBlobCreateOptions(), cancellationToken).ConfigureAwait(false);
            using var stream = AsStream(part);
            return (await client.AppendBlockAsync(stream, new AppendBlobAppendBlockOptions(), cancellationToken).ConfigureAwait(false)).Value;
        }
    }

    private static BlobRequestConditions Conditions(WriteCondition condition)
    {
        var conditions = new BlobRequestConditions();
        if (condition.IfNotExists) conditions.IfNoneMatch = ETag.All;
        if (condition.IfMatch is { } etag) conditions.IfMatch = etag == "*" ? ETag.All : new ETag(etag);
        return conditions;
    }

    private static MemoryStream AsStream(ReadOnlyMemory<byte> bytes) =>
        MemoryMarshal.TryGetArray(bytes, out var segment)
            ? new MemoryStream(segment.Array!, segment.Offset, segment.Count, writable: false)
            : new MemoryStream(bytes.ToArray(), writable: false);

    /// <summary>
    /// ETags in one form whatever answered: headers carry them quoted ("\"0x8D…\""), listings bare
    /// (0x8D…). Quoting the bare ones lets callers compare them and pass either back in If-Match.
    /// </summary>
    private static string Tag(ETag etag)
    {
        var s = etag.ToString();
        return s.StartsWith('"') ? s : $"\"{s}\"";
    }

    /// <summary>Runs one SDK call and turns whatever it throws into the contract's exceptions.</summary>
    private static async Task<T> CallAsync<T>(string path, Func<Task<T>> call, CancellationToken cancellationToken)
    {
        try
        {
            return await call().ConfigureAwait(false);
        }
        catch (Exception e) when (AzureErrorMapping.Map(e, path, cancellationToken) is { } mapped)
        {
            throw mapped;
        }
    }
}
