using System.Security.Cryptography;

namespace MetaRl.Testing;

/// <summary>
/// Everything under a folder as it is now — every file and folder with its kind, size, modification
/// time and (files) SHA-256 — to check that something changed nothing at all.
/// </summary>
public static class FolderSnapshot
{
    /// <summary>One line per entry, in path order (empty when the folder does not exist).</summary>
    public static List<string> Take(string folder)
    {
        if (!Directory.Exists(folder)) return [];
        return new DirectoryInfo(folder).EnumerateFileSystemInfos("*", SearchOption.AllDirectories)
            .OrderBy(e => e.FullName, StringComparer.Ordinal)
            .Select(e => e is FileInfo f
                ? $"file {Path.GetRelativePath(folder, f.FullName)} {f.Length} {f.LastWriteTimeUtc.Ticks} {Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(f.FullName)))}"
                : $"dir  {Path.GetRelativePath(folder, e.FullName)} {e.LastWriteTimeUtc.Ticks}")
            .ToList();
    }

    /// <summary>The entries that differ between two snapshots ("- before" and "+ after" lines), empty when none do.</summary>
    public static string Difference(IReadOnlyList<string> before, IReadOnlyList<string> after) =>
        string.Join("\n", before.Except(after).Select(l => "- " + l).Concat(after.Except(before).Select(l => "+ " + l)));
}
