using System.Diagnostics;
using System.Text.Json;

namespace MetaRl.Client.Cluster;

/// <summary>
/// Marks the local data folder as served by a `metarl` process's embedded silo (its gateway port), so
/// that other `metarl` commands on the same folder connect to it instead of starting a silo of their own.
/// </summary>
public sealed record EmbeddedSiloFile(int ProcessId, int GatewayPort, string ClusterId, string ServiceId, DateTimeOffset Started)
{
    public static string PathIn(string dataFolder) => System.IO.Path.Combine(dataFolder, "embedded-silo.json");

    /// <summary>The file's silo when its process is alive and its gateway listens; null otherwise (a stale file of a killed process is ignored).</summary>
    public static EmbeddedSiloFile? ReadLive(string dataFolder)
    {
        EmbeddedSiloFile? file;
        try
        {
            file = JsonSerializer.Deserialize<EmbeddedSiloFile>(File.ReadAllText(PathIn(dataFolder)));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or JsonException)
        {
            return null;
        }
        if (file is null || file.ProcessId == Environment.ProcessId) return null;
        try
        {
            using var process = Process.GetProcessById(file.ProcessId);
            if (process.HasExited) return null;
        }
        catch (ArgumentException)
        {
            return null;
        }
        return LoopbackPorts.IsListening(file.GatewayPort) ? file : null;
    }

    public void Write(string dataFolder)
    {
        Directory.CreateDirectory(dataFolder);
        var path = PathIn(dataFolder);
        File.WriteAllText(path + ".tmp", JsonSerializer.Serialize(this));
        File.Move(path + ".tmp", path, overwrite: true);
    }

    public static void Remove(string dataFolder, int processId)
    {
        var path = PathIn(dataFolder);
        try
        {
            var file = JsonSerializer.Deserialize<EmbeddedSiloFile>(File.ReadAllText(path));
            if (file?.ProcessId == processId) File.Delete(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or JsonException)
        {
        }
    }
}
