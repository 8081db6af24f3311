using System.Diagnostics;

namespace MetaRl.Testing;

/// <summary>
/// A real Azurite (installed by infra/bootstrap.sh): the blob service, and the table service that
/// Orleans' Azure clustering and reminders use, each on a free loopback port, in one process with
/// its own data folder. The all-in-one azurite cannot leave the queue service out, so it gets a
/// free loopback port too (nothing uses it). It can be stopped and started again on the same ports
/// and data, to test outages.
/// </summary>
public sealed class AzuriteProcess : IDisposable
{
    // Azurite's well-known development account (documented by Microsoft; not a secret).
    private const string AccountName = "devstoreaccount1";
    private const string AccountKey = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    private Process? _process;

    public int BlobPort { get; }
    public int TablePort { get; }
    public int QueuePort { get; }
    public string DataFolder { get; }

    /// <summary>The blob and table endpoints (and the queue's, for completeness) with the development account's key.</summary>
    public string ConnectionString =>
        $"DefaultEndpointsProtocol=http;AccountName={AccountName};AccountKey={AccountKey};" +
        $"BlobEndpoint={Endpoint(BlobPort)};TableEndpoint={Endpoint(TablePort)};QueueEndpoint={Endpoint(QueuePort)};";

    private AzuriteProcess(string dataFolder)
    {
        DataFolder = dataFolder;
        BlobPort = FreePort.Pick();
        // The OS may hand out a port again once its probe listener closes; three picks must differ.
        do TablePort = FreePort.Pick(); while (TablePort == BlobPort);
        do QueuePort = FreePort.Pick(); while (QueuePort == BlobPort || QueuePort == TablePort);
    }

    private static string Endpoint(int port) => $"http://127.0.0.1:{port}/{AccountName}";

    public static AzuriteProcess Start()
    {
        var folder = Path.Combine(Path.GetTempPath(), $"metarl-azurite-{Guid.NewGuid():N}");
        Directory.CreateDirectory(folder);
        var azurite = new AzuriteProcess(folder);
        try
        {
            azurite.Restart();
        }
        catch
        {
            azurite.Dispose();
            throw;
        }
        return azurite;
    }

    /// <summary>Starts (again) the services on the same ports and data folder; returns once all of them accept connections.</summary>
    public void Restart()
    {
        Stop();
        var exe = RepoPaths.AzuriteExecutable;
        if (!File.Exists(exe))
            throw new InvalidOperationException($"Azurite is not installed at {exe}; run infra/bootstrap.sh (make test does)");
        var psi = new ProcessStartInfo(exe)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var a in new[]
                 {
                     "--blobHost", "127.0.0.1", "--blobPort", BlobPort.ToString(),
                     "--tableHost", "127.0.0.1", "--tablePort", TablePort.ToString(),
                     "--queueHost", "127.0.0.1", "--queuePort", QueuePort.ToString(),
                     "--location", DataFolder, "--disableTelemetry", "--silent", "--skipApiVersionCheck", "--loose",
                 })
            psi.ArgumentList.Add(a);
        _process = Process.Start(psi) ?? throw new InvalidOperationException("could not start Azurite");
        var output = new List<string>();
        var process = _process;
        process.OutputDataReceived += (_, e) => Keep(output, e.Data);
        process.ErrorDataReceived += (_, e) => Keep(output, e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var deadline = Stopwatch.StartNew();
        while (!(FreePort.IsListening(BlobPort) && FreePort.IsListening(TablePort) && FreePort.IsListening(QueuePort)))
        {
            // Its output says why, e.g. a port another process took between the pick and the start.
            if (process.HasExited)
            {
                process.WaitForExit(); // drains the output readers
                throw new InvalidOperationException($"Azurite exited with code {process.ExitCode} on start: {Tail(output)}");
            }
            if (deadline.Elapsed > TimeSpan.FromSeconds(30))
                throw new TimeoutException($"Azurite did not listen on {BlobPort}, {TablePort} and {QueuePort} within 30 s: {Tail(output)}");
            Thread.Sleep(50);
        }
    }

    private static void Keep(List<string> output, string? line)
    {
        if (line is null) return;
        lock (output)
        {
            output.Add(line);
            if (output.Count > 20) output.RemoveAt(0);
        }
    }

    private static string Tail(List<string> output)
    {
        lock (output) return output.Count == 0 ? "(no output)" : string.Join(" | ", output);
    }

    /// <summary>Stops the services the way an operator would (SIGTERM: Azurite saves its data and exits).</summary>
    public void StopGracefully()
    {
        if (_process is null) return;
        if (!_process.HasExited)
        {
            using var kill = Process.Start("kill", ["-TERM", _process.Id.ToString()]);
            kill.WaitForExit();
            if (!_process.WaitForExit(15_000)) _process.Kill(entireProcessTree: true);
        }
        _process.Dispose();
        _process = null;
    }

    /// <summary>Kills the services (SIGKILL): what a crash of the storage service looks like to clients.</summary>
    public void Stop()
    {
        if (_process is null) return;
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                _process.WaitForExit(10_000);
            }
        }
        catch (InvalidOperationException)
        {
        }
        _process.Dispose();
        _process = null;
    }

    public void Dispose()
    {
        Stop();
        try
        {
            Directory.Delete(DataFolder, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
