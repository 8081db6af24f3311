using Azure;
using Azure.Core;
using Azure.Data.Tables;
using Azure.Storage.Blobs;
using MetaRl.Storage;

namespace MetaRl.Grains.Hosting;

/// <summary>
/// A silo's Azure storage, checked before the silo starts: the connection string as the table client
/// reads it (membership and reminders live in tables), then one bounded request to each service,
/// without the SDK's retries. A silo started against storage that does not answer says so in one
/// line within seconds (instead of failing inside the host after the SDK's retries).
/// </summary>
public static class AzureStorageCheck
{
    /// <summary>Why the table client cannot use the connection string; null when it can.</summary>
    public static string? TableProblem(string connectionString) =>
        AzureConnectionString.Problem(connectionString, "TableEndpoint", () => _ = new TableServiceClient(connectionString));

    /// <summary>Whether both services answer within <paramref name="limit"/>; the problem, naming the endpoint, or null.</summary>
    public static async Task<string?> ReachAsync(StorageOptions storage, TimeSpan limit, CancellationToken ct)
    {
        var blobOptions = new BlobClientOptions();
        Bound(blobOptions.Retry, limit);
        var tableOptions = new TableClientOptions();
        Bound(tableOptions.Retry, limit);
        var blobs = new BlobServiceClient(storage.ConnectionString, blobOptions);
        var tables = new TableServiceClient(storage.ConnectionString, tableOptions);
        return await AnswersAsync(blobs.Uri, "blob", async token => await blobs.GetBlobContainerClient(storage.Container).ExistsAsync(token), limit, ct)
               ?? await AnswersAsync(tables.Uri, "table", async token =>
               {
                   await foreach (var _ in tables.QueryAsync(maxPerPage: 1, cancellationToken: token).ConfigureAwait(false)) break;
               }, limit, ct);
    }

    private static void Bound(RetryOptions retry, TimeSpan limit)
    {
        retry.MaxRetries = 0;
        retry.NetworkTimeout = limit;
    }

    private static async Task<string?> AnswersAsync(Uri endpoint, string service, Func<CancellationToken, Task> request, TimeSpan limit, CancellationToken ct)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(limit);
        string where = $"METARL_AZURE_CONNECTION_STRING: storage at {Endpoint(endpoint)} ({service} service)";
        const string Start = "; start it, or check the connection string's endpoints";
        try
        {
            await request(timeout.Token).ConfigureAwait(false);
            return null;
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            return $"{where} did not answer within {limit.TotalSeconds:0.#} s{Start}";
        }
        catch (RequestFailedException e) when (e.Status == 0)
        {
            return $"{where} did not answer ({FirstLine((e.InnerException ?? e).Message)}){Start}";
        }
        catch (RequestFailedException e)
        {
            return $"{where} refused the request: {e.Status} {e.ErrorCode}; check the account name and key (or the SAS) and the endpoints";
        }
        catch (Exception e) when (e is AggregateException or IOException or System.Net.Http.HttpRequestException)
        {
            return $"{where} did not answer ({FirstLine((e.InnerException ?? e).Message)}){Start}";
        }
    }

    /// <summary>The endpoint without any query (a SAS).</summary>
    private static string Endpoint(Uri uri) => uri.GetLeftPart(UriPartial.Path);

    private static string FirstLine(string s) => s.Split('\n')[0].Trim();
}
