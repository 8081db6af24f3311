using Azure.Storage.Blobs;

namespace MetaRl.Storage;

/// <summary>Whether the configured store answers. Used by `metarl doctor` and by silos at start.</summary>
public static class StorageProbe
{
    public sealed record Result(bool Reachable, string Detail);

    public static async Task<Result> CheckAsync(StorageOptions options, CancellationToken cancellationToken)
    {
        var errors = options.Validate();
        if (errors.Count > 0) return new Result(false, string.Join("; ", errors));
        return options.Provider == StorageOptions.AzureProvider
            ? await CheckAzureAsync(options, cancellationToken).ConfigureAwait(false)
            : CheckLocal(options);
    }

    private static Result CheckLocal(StorageOptions options)
    {
        var folder = Path.Combine(options.LocalPath, options.Container);
        try
        {
            Directory.CreateDirectory(folder);
            var probe = Path.Combine(folder, $".probe-{Environment.ProcessId}-{Guid.NewGuid():N}");
            File.WriteAllText(probe, "ok");
            File.Delete(probe);
            return new Result(true, $"folder {folder} is writable");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return new Result(false, $"folder {folder} is not writable: {e.Message}");
        }
    }

    private static async Task<Result> CheckAzureAsync(StorageOptions options, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(10));
        try
        {
            var clientOptions = new BlobClientOptions();
            clientOptions.Retry.MaxRetries = 1;
            clientOptions.Retry.NetworkTimeout = TimeSpan.FromSeconds(5);
            var service = new BlobServiceClient(options.ConnectionString, clientOptions);
            var container = service.GetBlobContainerClient(options.Container);
            bool exists = await container.ExistsAsync(timeout.Token).ConfigureAwait(false);
            return new Result(true, $"{service.Uri} answers; container '{options.Container}' {(exists ? "exists" : "does not exist yet")}");
        }
        catch (Exception e) when (e is Azure.RequestFailedException or AggregateException or OperationCanceledException or FormatException or ArgumentException or InvalidOperationException)
        {
            var reason = e is OperationCanceledException ? "no answer within 10 s" : (e.InnerException ?? e).Message.Split('\n')[0];
            return new Result(false, $"Azure Blob Storage is not reachable: {reason}");
        }
    }
}
