using Azure;

namespace MetaRl.Storage;

/// <summary>
/// Turns what the Azure SDK throws into the contract's exceptions:
/// <list type="bullet">
/// <item>412 ConditionNotMet → <see cref="BlobConditionFailedException"/> 412; 409 BlobAlreadyExists (If-None-Match: *) → 409.</item>
/// <item>Lease* codes (LeaseIdMissing…: a lease some other client took on the blob; this store takes
/// none) → <see cref="BlobStoreException"/> with the service's status, not a condition failure, so
/// that an optimistic-concurrency retry loop does not spin on a blob it can never write.</item>
/// <item>ContainerNotFound → <see cref="BlobStoreException"/> 404 naming the container; other 404 → <see cref="BlobNotFoundException"/>.</item>
/// <item>No answer after the SDK's retries (connection refused, timeouts: an AggregateException or a
/// status-0 RequestFailedException) → <see cref="BlobStoreException"/> with status 0; any other answer → its status.</item>
/// </list>
/// Cancellation the caller asked for stays an <see cref="OperationCanceledException"/>.
/// </summary>
internal static class AzureErrorMapping
{
    /// <summary>The contract exception for <paramref name="e"/>, or null to let it pass unchanged.</summary>
    public static BlobStoreException? Map(Exception e, string path, CancellationToken cancellationToken)
    {
        switch (e)
        {
            case BlobStoreException:
                return null;
            case OperationCanceledException when cancellationToken.IsCancellationRequested:
                return null;
            case OperationCanceledException:
                return new BlobStoreException($"blob '{path}': the storage service did not answer in time", 0, e);
            case RequestFailedException r:
                return MapResponse(r, path);
            case AggregateException a:
                // The SDK's retry policy gives up with an AggregateException of every attempt's failure.
                var last = a.InnerExceptions.Count > 0 ? a.InnerExceptions[^1] : a;
                return new BlobStoreException($"blob '{path}': the storage service is unreachable after {a.InnerExceptions.Count} attempts: {FirstLine(last.Message)}", 0, e);
            case HttpRequestException or IOException:
                return new BlobStoreException($"blob '{path}': the connection to the storage service failed: {FirstLine(e.Message)}", 0, e);
            default:
                return null;
        }
    }

    private static BlobStoreException MapResponse(RequestFailedException e, string path)
    {
        var code = e.ErrorCode;
        if (code == "ConditionNotMet") return new BlobConditionFailedException(path, 412, e);
        if (code == "BlobAlreadyExists") return new BlobConditionFailedException(path, 409, e);
        if (code is not null && code.StartsWith("Lease", StringComparison.Ordinal))
            return new BlobStoreException($"blob '{path}' is leased by another client ({code}); this store takes no leases: break the lease or let it expire ({e.Status})", e.Status, e);
        if (code == "ContainerNotFound")
            return new BlobStoreException($"container of blob '{path}' does not exist; call EnsureCreatedAsync first (404)", 404, e);
        if (e.Status == 404) return new BlobNotFoundException(path, e);
        if (e.Status == 412) return new BlobConditionFailedException(path, 412, e);
        var what = e.Status == 0 ? "no answer from the storage service" : $"the storage service answered {e.Status} {code}";
        return new BlobStoreException($"blob '{path}': {what}: {FirstLine(e.Message)}", e.Status, e);
    }

    private static string FirstLine(string message)
    {
        var cut = message.IndexOf('\n', StringComparison.Ordinal);
        return (cut < 0 ? message : message[..cut]).Trim();
    }
}
