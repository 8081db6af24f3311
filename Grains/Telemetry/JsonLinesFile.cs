namespace MetaRl.Grains.Telemetry;

/// <summary>An append-only JSON-lines file shared by the span and metric exporters of a process.</summary>
public sealed class JsonLinesFile(string path)
{
    private readonly object _gate = new();

    public string Path { get; } = path;

    public bool Append(IReadOnlyList<string> lines)
    {
        if (lines.Count == 0) return true;
        try
        {
            lock (_gate)
            {
                Directory.CreateDirectory(System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(Path))!);
                File.AppendAllLines(Path, lines);
            }
            return true;
        }
        catch (IOException)
        {
            return false;
        }
    }
}
