using System.Text.Json;

namespace MetaRl.Grains.Hosting;

/// <summary>
/// The one silo that serves a local data folder (the embedded mode, or `metarl-silo` on local storage).
/// Localhost clustering makes every silo a cluster of its own, so two silos on one folder would each
/// activate the same grains: the first to start holds an exclusive lock on the folder's
/// local-silo.lock for its lifetime and publishes its gateway in local-silo.json; every other
/// `metarl` process on the folder connects to it as a client instead of starting a silo.
/// </summary>
public sealed class LocalSilo : IDisposable
{
    private const string LockName = "local-silo.lock";
    private const string InfoName = "local-silo.json";
    private readonly FileStream _lock;
    private readonly string _folder;

    private LocalSilo(FileStream lockFile, string folder)
    {
        _lock = lockFile;
        _folder = folder;
    }

    /// <summary>Claims the folder for this process's silo; null when another process's silo holds it.</summary>
    public static LocalSilo? TryClaim(string dataFolder, LocalSiloInfo info)
    {
        Directory.CreateDirectory(dataFolder);
        FileStream lockFile;
        try
        {
            lockFile = new FileStream(Path.Combine(dataFolder, LockName), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException)
        {
            return null;
        }
        var path = Path.Combine(dataFolder, InfoName);
        File.WriteAllText(path + ".tmp", JsonSerializer.Serialize(info));
        File.Move(path + ".tmp", path, overwrite: true);
        return new LocalSilo(lockFile, dataFolder);
    }

    /// <summary>The silo serving the folder, or null when none does (a leftover of a killed one does not count). Creates nothing.</summary>
    public static LocalSiloInfo? Find(string dataFolder)
    {
        var lockPath = Path.Combine(dataFolder, LockName);
        if (!File.Exists(lockPath)) return null;
        try
        {
            using var free = new FileStream(lockPath, FileMode.Open, FileAccess.ReadWrite, FileShare.None);
            return null; // nobody holds it
        }
        catch (FileNotFoundException)
        {
            return null;
        }
        catch (IOException)
        {
            // Held: read who holds it.
        }
        try
        {
            return JsonSerializer.Deserialize<LocalSiloInfo>(File.ReadAllText(Path.Combine(dataFolder, InfoName)));
        }
        catch (Exception e) when (e is IOException or JsonException)
        {
            return null;
        }
    }

    public void Dispose()
    {
        try
        {
            File.Delete(Path.Combine(_folder, InfoName));
        }
        catch (IOException)
        {
        }
        _lock.Dispose();
    }
}

/// <summary>Who serves a local data folder: the process and its silo's gateway.</summary>
/// <param name="OnlySweep">The one sweep this silo trains (an embedded `metarl sweep run`'s), or null: any.</param>
public sealed record LocalSiloInfo(int ProcessId, int GatewayPort, string ClusterId, string ServiceId, string SiloName, DateTimeOffset Started, string? OnlySweep = null);
