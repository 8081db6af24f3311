namespace MetaRl.Testing;

/// <summary>Locations inside the repository, found from the test assembly's folder.</summary>
public static class RepoPaths
{
    public static string Root { get; } = FindRoot();

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "MetaRl.Orleans.sln"))) return dir.FullName;
        throw new InvalidOperationException($"MetaRl.Orleans.sln not found above {AppContext.BaseDirectory}");
    }

    /// <summary>The all-in-one Azurite (blob, queue and table services), installed by infra/bootstrap.sh.</summary>
    public static string AzuriteExecutable => Path.Combine(Root, "infra", "azurite", "node_modules", ".bin", "azurite");
}
