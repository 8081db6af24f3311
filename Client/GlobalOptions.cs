using System.CommandLine;
using MetaRl.Grains.Hosting;
using MetaRl.Storage;

namespace MetaRl.Client;

/// <summary>Options every command accepts: where state lives, and machine-readable output.</summary>
public static class GlobalOptions
{
    public static readonly Option<string?> Storage = new("--storage")
    {
        Description = "Storage provider: local (default, a folder) or azure (Azure Blob Storage / Azurite). Env: METARL_STORAGE",
        Recursive = true,
    };

    public static readonly Option<string?> Data = new("--data")
    {
        Description = "Folder of the local provider. Env: METARL_DATA (default ./.metarl/data)",
        Recursive = true,
    };

    public static readonly Option<string?> ConnectionString = new("--connection-string")
    {
        Description = "Azure connection string (account key or SAS). Env: METARL_AZURE_CONNECTION_STRING",
        Recursive = true,
    };

    public static readonly Option<string?> Container = new("--container")
    {
        Description = "Container holding all state (default metarl). Env: METARL_CONTAINER",
        Recursive = true,
    };

    public static readonly Option<string?> ClusterId = new("--cluster-id")
    {
        Description = "Cluster (and service) id of the silos to connect to (default metarl). Env: METARL_CLUSTER__CLUSTERID",
        Recursive = true,
    };

    public static readonly Option<bool> Json = new("--json")
    {
        Description = "Write machine-readable JSON instead of text",
        Recursive = true,
    };

    public static readonly Option<bool> Verbose = new("--verbose")
    {
        Description = "Also print the log of a silo this process hosts (sweep run) on stderr; it is always kept in the telemetry file",
        Recursive = true,
    };

    public static void AddTo(RootCommand root)
    {
        root.Options.Add(Verbose);
        root.Options.Add(Storage);
        root.Options.Add(Data);
        root.Options.Add(ConnectionString);
        root.Options.Add(Container);
        root.Options.Add(ClusterId);
        root.Options.Add(Json);
    }

    /// <summary>Storage options: environment first, command line over it. Invalid values throw <see cref="UsageException"/>.</summary>
    public static StorageOptions StorageFrom(ParseResult parse)
    {
        var o = StorageOptions.FromEnvironment();
        o = o with
        {
            Provider = parse.GetValue(Storage)?.Trim().ToLowerInvariant() ?? o.Provider,
            LocalPath = parse.GetValue(Data) ?? o.LocalPath,
            ConnectionString = parse.GetValue(ConnectionString) ?? o.ConnectionString,
            Container = parse.GetValue(Container) ?? o.Container,
        };
        var errors = o.Validate();
        if (errors.Count > 0) throw new UsageException(string.Join("; ", errors.Select(e => Untrusted.Problem(e))));
        if (o.Provider == StorageOptions.LocalProvider) CheckFolder(o.LocalPath, "--data (METARL_DATA)");
        return o;
    }

    /// <summary>
    /// A folder the command may create and write in: not a file, not under /proc, /sys or /dev, and
    /// its nearest existing ancestor a folder. Checked before anything starts.
    /// </summary>
    public static void CheckFolder(string path, string what)
    {
        if (HostPaths.FolderProblem(path, what) is { } problem) throw new UsageException(problem);
    }

    /// <summary>Cluster and service ids: environment (METARL_CLUSTER__CLUSTERID, METARL_CLUSTER__SERVICEID) first, --cluster-id over it.</summary>
    public static SiloHostingOptions HostingFrom(ParseResult parse)
    {
        var o = new SiloHostingOptions();
        var cluster = parse.GetValue(ClusterId) ?? Environment.GetEnvironmentVariable("METARL_CLUSTER__CLUSTERID");
        var service = Environment.GetEnvironmentVariable("METARL_CLUSTER__SERVICEID");
        if (!string.IsNullOrWhiteSpace(cluster)) o.ClusterId = cluster.Trim();
        if (!string.IsNullOrWhiteSpace(service)) o.ServiceId = service.Trim();
        if (!Grains.Interfaces.GrainKey.IsValidSegment(o.ClusterId)) throw new UsageException($"--cluster-id {Untrusted.Quote(o.ClusterId)} is invalid; allowed: lowercase letters, digits, '.', '_' and '-'");
        return o;
    }
}
