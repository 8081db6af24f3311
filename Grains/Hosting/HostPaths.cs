namespace MetaRl.Grains.Hosting;

/// <summary>
/// Paths a process will create and write (a data folder, a telemetry file), checked before anything
/// starts: the console's --data and --report-dir, metarl-silo's METARL_DATA and Cluster:TelemetryPath.
/// Each problem is one line naming the setting (<c>what</c>), the value (through <see cref="Untrusted.Quote"/>, so the reason stays in view)
/// and what is allowed. Creates nothing.
/// </summary>
public static class HostPaths
{
    private static readonly string[] SystemFolders = ["/proc", "/sys", "/dev"];

    /// <summary>A folder that may be created and written: not a file, not under /proc, /sys or /dev, its nearest existing ancestor a folder.</summary>
    public static string? FolderProblem(string? path, string what)
    {
        if (Common(path, what, "a folder path", "a folder") is { } problem) return problem;
        var full = Path.GetFullPath(path!);
        if (File.Exists(full)) return $"{what} {Untrusted.Quote(path)} is a file; allowed: a folder (it is created if missing)";
        return AncestorProblem(path!, full, what);
    }

    /// <summary>A file that may be created and appended to: not a folder, not under /proc, /sys or /dev, its nearest existing ancestor a folder.</summary>
    public static string? FileProblem(string? path, string what)
    {
        if (Common(path, what, "a file path", "a file") is { } problem) return problem;
        var full = Path.GetFullPath(path!);
        if (Directory.Exists(full) || Path.EndsInDirectorySeparator(path!))
            return $"{what} {Untrusted.Quote(path)} is a folder; allowed: a file path (the file is created if missing)";
        return AncestorProblem(path!, full, what);
    }

    private static string? Common(string? path, string what, string allowed, string kind)
    {
        if (string.IsNullOrWhiteSpace(path) || path.Any(char.IsControl) || path.Length > 4096)
            return $"{what} {Untrusted.Quote(path)} is invalid; allowed: {allowed} (no control characters, at most 4096 characters)";
        string full;
        try
        {
            full = Path.GetFullPath(path);
        }
        catch (Exception e) when (e is ArgumentException or NotSupportedException or PathTooLongException)
        {
            return $"{what} {Untrusted.Quote(path)} is invalid: {Untrusted.Line(e.Message)}";
        }
        foreach (var system in SystemFolders)
            if (full == system || full.StartsWith(system + "/", StringComparison.Ordinal))
                return $"{what} {Untrusted.Quote(path)} is under {system}; allowed: {kind} of your own";
        return null;
    }

    private static string? AncestorProblem(string path, string full, string what)
    {
        for (var dir = Path.GetDirectoryName(full); dir is not null; dir = Path.GetDirectoryName(dir))
        {
            if (Directory.Exists(dir)) return null;
            if (File.Exists(dir)) return $"{what} {Untrusted.Quote(path)}: {Untrusted.Quote(dir)} is a file; allowed: a path whose folders are folders";
        }
        return null;
    }
}
