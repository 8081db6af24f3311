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
}
