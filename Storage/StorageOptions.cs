namespace MetaRl.Storage;

/// <summary>
/// Which blob store the system uses. The embedded default is the local file system, so a new user
/// needs no service at all; "azure" targets Azure Blob Storage or Azurite through a connection string.
/// </summary>
public sealed record StorageOptions
{
    public const string LocalProvider = "local";
    public const string AzureProvider = "azure";
    public static readonly IReadOnlyList<string> Providers = [LocalProvider, AzureProvider];

    /// <summary>"local" (default) or "azure".</summary>
    public string Provider { get; init; } = LocalProvider;

    /// <summary>Root folder of the local provider.</summary>
    public string LocalPath { get; init; } = DefaultLocalPath();

    /// <summary>Connection string of the azure provider (an account key or a SAS).</summary>
    public string? ConnectionString { get; init; }

    /// <summary>The one container (azure) or subfolder (local) holding all state.</summary>
    public string Container { get; init; } = "metarl";

    /// <summary>
    /// Options from the environment: METARL_STORAGE (local | azure), METARL_DATA (local root),
    /// METARL_AZURE_CONNECTION_STRING (falls back to AZURE_STORAGE_CONNECTION_STRING), METARL_CONTAINER.
    /// </summary>
    public static StorageOptions FromEnvironment()
    {
        var o = new StorageOptions();
        var provider = Environment.GetEnvironmentVariable("METARL_STORAGE");
        var data = Environment.GetEnvironmentVariable("METARL_DATA");
        var conn = Environment.GetEnvironmentVariable("METARL_AZURE_CONNECTION_STRING")
                   ?? Environment.GetEnvironmentVariable("AZURE_STORAGE_CONNECTION_STRING");
        var container = Environment.GetEnvironmentVariable("METARL_CONTAINER");
        return o with
        {
            Provider = string.IsNullOrWhiteSpace(provider) ? o.Provider : provider.Trim().ToLowerInvariant(),
            LocalPath = string.IsNullOrWhiteSpace(data) ? o.LocalPath : data,
            ConnectionString = string.IsNullOrWhiteSpace(conn) ? null : conn,
            Container = string.IsNullOrWhiteSpace(container) ? o.Container : container,
        };
    }

    /// <summary>Problems with these options, each naming the field and what is allowed. Empty when valid.</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (!Providers.Contains(Provider))
            errors.Add($"storage provider (--storage, METARL_STORAGE) '{Provider}' is not known; allowed: {string.Join(", ", Providers)}");
        if (Provider == AzureProvider && string.IsNullOrWhiteSpace(ConnectionString))
            errors.Add("storage provider 'azure' needs a connection string (METARL_AZURE_CONNECTION_STRING or --connection-string)");
        else if (Provider == AzureProvider && AzureConnectionString.BlobProblem(ConnectionString!) is { } problem)
            errors.Add($"connection string (METARL_AZURE_CONNECTION_STRING or --connection-string) '{AzureConnectionString.Redacted(ConnectionString!)}' is invalid: {problem}; allowed: {AzureConnectionString.Allowed}");
        if (Provider == LocalProvider && string.IsNullOrWhiteSpace(LocalPath))
            errors.Add("storage provider 'local' needs a folder (METARL_DATA or --data)");
        if (!IsValidContainerName(Container))
            errors.Add($"container (--container, METARL_CONTAINER) '{Container}' is not valid; allowed: 3-63 characters of lowercase letters, digits and single hyphens, starting with a letter or digit");
        return errors;
    }

    /// <summary>Azure's container naming rule, applied to both providers so that state moves between them.</summary>
    public static bool IsValidContainerName(string name) =>
        name.Length is >= 3 and <= 63
        && char.IsAsciiLetterOrDigit(name[0])
        && char.IsAsciiLetterOrDigit(name[^1])
        && name.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '-')
        && !name.Contains("--", StringComparison.Ordinal);

    private static string DefaultLocalPath() => Path.Combine(Directory.GetCurrentDirectory(), ".metarl", "data");
}
