using System.Diagnostics;

namespace MetaRl.Testing;

/// <summary>
/// A real Azurite blob service (installed by infra/bootstrap.sh) on a free loopback port with its own
/// data folder. It can be stopped and started again on the same port and data, to test outages.
/// </summary>
public sealed class AzuriteProcess : IDisposable
{
    // Azurite's well-known development account (documented by Microsoft; not a secret).
    private const string AccountName = "devstoreaccount1";
    private const string AccountKey = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    private Process? _process;

    public int Port { get; }
    public string DataFolder { get; }

    public string ConnectionString =>
        $"DefaultEndpointsProtocol=http;AccountName={AccountName};AccountKey={AccountKey};BlobEndpoint=http://127.0.0.1:{Port}/{AccountName};";

    private AzuriteProcess(int port, string dataFolder)
    {
        Port = port;
        DataFolder = dataFolder;
    }

    public static AzuriteProcess Start()
    {
        var folder = Path.Combine(Path.GetTempPath(), $"metarl-azurite-{Guid.NewGuid():N}");
        Directory.CreateDirectory(folder);
        var azurite = new AzuriteProcess(FreePort.Pick(), folder);
        azurite.Restart();
        return azurite;
    }

    /// <summary>Starts (again) the service on the same port and data folder; returns once it accepts connections.</summary>
    public void Restart()
    {
        Stop();
        var exe = RepoPaths.AzuriteBlobExecutable;
        if (!File.Exists(exe))
            throw new InvalidOperationException($"Azurite is not installed at {exe}; run infra/bootstrap.sh (make test does)");
        var psi = new ProcessStartInfo(exe)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var a in new[] { "--blobHost", "127.0.0.1", "--blobPort", Port.ToString(), "--location", DataFolder, "--disableTelemetry", "--silent", "--skipApiVersionCheck", "--loose" })
            psi.ArgumentList.Add(a);
        _process = Process.Start(psi) ?? throw new InvalidOperationException("could not start Azurite");
        _process.OutputDataReceived += (_, _) => { };
        _process.ErrorDataReceived += (_, _) => { };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        var deadline = Stopwatch.StartNew();
        while (!FreePort.IsListening(Port))
        {
            if (_process.HasExited) throw new InvalidOperationException($"Azurite exited with code {_process.ExitCode} on start");
            if (deadline.Elapsed > TimeSpan.FromSeconds(30)) throw new TimeoutException("Azurite did not listen within 30 s");
            Thread.Sleep(50);
        }
    }

    /// <summary>Stops the service the way an operator would (SIGTERM: it saves its data and exits).</summary>
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

    /// <summary>Kills the service (SIGKILL): what a crash of the storage service looks like to clients.</summary>
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
