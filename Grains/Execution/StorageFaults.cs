using MetaRl.Storage;
using Orleans.Runtime;
using Orleans.Storage;

namespace MetaRl.Grains.Execution;

/// <summary>Which failures of storage (and of calls to other grains) are worth retrying: the service or silo did not answer.</summary>
public static class StorageFaults
{
    public static bool IsTransient(Exception e)
    {
        if (e is AggregateException { InnerExceptions.Count: 1 } single) return IsTransient(single.InnerException!);
        return e switch
        {
            InconsistentStateException => false,
            BlobConditionFailedException or BlobNotFoundException => false,
            BlobStoreException b => b.Status is 0 or 408 or 429 or >= 500,
            Azure.RequestFailedException r => r.Status is 0 or 408 or 429 or >= 500,
            IOException or TimeoutException or HttpRequestException => true,
            SiloUnavailableException or OrleansMessageRejectionException => true,
            TaskCanceledException => true, // an HTTP client's timeout, not a cancellation of ours
            _ => e.InnerException is { } inner && IsTransient(inner),
        };
    }
}
