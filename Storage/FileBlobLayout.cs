using System.Text;

namespace MetaRl.Storage;

/// <summary>
/// Where the local provider keeps what, under <c>&lt;root&gt;/&lt;container&gt;/</c>:
/// content at the blob path itself (so the folder is browsable), and per blob a metadata record, a
/// lock file and temp files in the sidecar tree <c>.metarl-meta/</c>. In the sidecar tree every
/// folder segment gets the suffix ".d" and every file a suffix of its own (".m", ".lock", ".tmp"),
/// so no two blob names can map to the same sidecar file or make a file and a folder collide
/// (blob "a" has ".metarl-meta/a.m"; blob "a.m/x" has ".metarl-meta/a.m.d/x.m").
/// Temp files live in the sidecar tree too: the content tree never shows half-written files, and
/// both trees are on one file system, so a rename from one to the other is atomic.
/// </summary>
internal sealed class FileBlobLayout(string containerFolder)
{
    // Linux allows 255 bytes per file name; the sidecar adds at most ".<12 hex>.tmp" (17).
    private const int MaxSegmentBytes = 200;

    public string ContainerFolder { get; } = containerFolder;

    public string SidecarRoot { get; } = Path.Combine(containerFolder, BlobPaths.ReservedPrefix);

    public static void ValidateForFileSystem(string path, string paramName)
    {
        BlobPaths.Validate(path, paramName);
        foreach (var segment in path.Split('/'))
        {
            if (Encoding.UTF8.GetByteCount(segment) > MaxSegmentBytes)
                throw new ArgumentException($"blob path '{path}' is not valid for the local provider: a segment is longer than {MaxSegmentBytes} bytes", paramName);
        }
    }

    public string ContentPath(string path) => Path.Combine(ContainerFolder, path);

    public string MetadataPath(string path) => SidecarFile(path, ".m");

    public string LockPath(string path) => SidecarFile(path, ".lock");

    public string TempPath(string path) => SidecarFile(path, $".{Convert.ToHexString(Guid.NewGuid().ToByteArray(), 0, 6)}.tmp");

    public string SidecarFolder(string path)
    {
        var cut = path.LastIndexOf('/');
        if (cut < 0) return SidecarRoot;
        var folders = path[..cut].Split('/').Select(s => s + ".d");
        return Path.Combine(SidecarRoot, Path.Combine([.. folders]));
    }

    /// <summary>The blob paths whose content would sit at the parent folders of <paramref name="path"/> ("a", "a/b" for "a/b/c").</summary>
    public static IEnumerable<string> ParentPaths(string path)
    {
        for (int i = path.IndexOf('/'); i >= 0; i = path.IndexOf('/', i + 1))
            yield return path[..i];
    }

    private string SidecarFile(string path, string suffix)
    {
        var name = path[(path.LastIndexOf('/') + 1)..];
        return Path.Combine(SidecarFolder(path), name + suffix);
    }
}
