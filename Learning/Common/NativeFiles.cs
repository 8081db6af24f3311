namespace MetaRl.Learning.Common;

/// <summary>Where the build puts this project's native libraries: next to MetaRl.Learning's assembly (or the app's folder).</summary>
internal static class NativeFiles
{
    /// <summary>The path of <paramref name="fileName"/> beside MetaRl.Learning, or null when it is not there.</summary>
    public static string? BesideLearning(string fileName) =>
        new[] { Path.GetDirectoryName(typeof(NativeFiles).Assembly.Location), AppContext.BaseDirectory }
            .Where(f => !string.IsNullOrEmpty(f))
            .Select(f => Path.Combine(f!, fileName))
            .FirstOrDefault(File.Exists);

    /// <summary>
    /// What a native workaround's module initializer checks first: Linux, not switched off by
    /// <paramref name="switchName"/>=<paramref name="switchValue"/>, its library present. Returns the
    /// library's path, or null with the reason in <paramref name="problem"/>.
    /// </summary>
    public static string? Workaround(string fileName, string switchName, string switchValue, out string? problem)
    {
        problem = !OperatingSystem.IsLinux() ? "only applied on Linux"
            : Environment.GetEnvironmentVariable(switchName) == switchValue ? $"{switchName}={switchValue}"
            : null;
        if (problem is not null) return null;
        var path = BesideLearning(fileName);
        if (path is null) problem = $"{fileName} not found next to MetaRl.Learning";
        return path;
    }
}
