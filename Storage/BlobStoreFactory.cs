namespace MetaRl.Storage;

/// <summary>Builds the configured <see cref="IBlobStore"/>: the local folder (default) or Azure Blob Storage.</summary>
public static class BlobStoreFactory
{
    /// <exception cref="ArgumentException">The options are not valid; the message lists every problem.</exception>
    public static IBlobStore Create(StorageOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = options.Validate();
        if (errors.Count > 0) throw new ArgumentException(string.Join("; ", errors), nameof(options));
        return options.Provider switch
        {
            StorageOptions.AzureProvider => AzureBlobStore.Create(options),
            _ => FileBlobStore.Create(options),
        };
    }
}
