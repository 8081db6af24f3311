using System.CommandLine;
using MetaRl.Storage;

namespace MetaRl.Client;

/// <summary>The blob store the global options point at.</summary>
public static class ClientStorage
{
    public static async Task<IBlobStore> OpenAsync(ParseResult parse, CancellationToken ct, bool create = false)
    {
        var options = GlobalOptions.StorageFrom(parse);
        IBlobStore store;
        try
        {
            store = BlobStoreFactory.Create(options);
        }
        catch (ArgumentException e)
        {
            throw new UsageException(e.Message);
        }
        if (create) await store.EnsureCreatedAsync(ct).ConfigureAwait(false);
        return store;
    }
}
