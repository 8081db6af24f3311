using System.Diagnostics;

namespace MetaRl.Testing;

/// <summary>A real metarl-silo process (the built Silo project), configured through METARL_* variables.</summary>
public sealed class SiloProcess : IDisposable
{
    private readonly Process _process;
    private readonly List<string> _output = new();

    private SiloProcess(Process process, string siloId)
    {
        _process = process;
        SiloId = siloId;
    }

    public string SiloId { get; }
    public int ProcessId => _process.Id;
    public bool HasExited => _process.HasExited;
    public int ExitCode => _process.ExitCode;

    public IReadOnlyList<string> Output
    {
        get
        {
            lock (_output) return _output.ToList();
        }
    }

    public static string SiloAssembly => Path.Combine(RepoPaths.Root, "Silo", "bin", "Release", "net10.0", "metarl-silo.dll");

    /// <summary>Starts a silo with the given settings (keys like "SILO__COREBUDGET", "STORAGE", "DATA"; METARL_ is added).</summary>
    public static SiloProcess Start(string siloId, string workingDirectory, IReadOnlyDictionary<string, string> settings)
    {
        if (!File.Exists(SiloAssembly)) throw new InvalidOperationException($"{SiloAssembly} is missing; build the solution first");
        var psi = new ProcessStartInfo("dotnet") { WorkingDirectory = workingDirectory, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        psi.ArgumentList.Add(SiloAssembly);
        foreach (var key in psi.Environment.Keys.Where(k => k.StartsWith("METARL_", StringComparison.Ordinal)).ToList()) psi.Environment.Remove(key);
        psi.Environment["METARL_SILO__SILOID"] = siloId;
        psi.Environment["OTEL_EXPORTER_OTLP_ENDPOINT"] = "";
        foreach (var (k, v) in settings) psi.Environment["METARL_" + k] = v;
        var process = Process.Start(psi) ?? throw new InvalidOperationException("could not start the silo");
        var silo = new SiloProcess(process, siloId);
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (silo._output) silo._output.Add(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (silo._output) silo._output.Add(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return silo;
    }

    /// <summary>SIGKILL: the machine died. No checkpoint, no lease release.</summary>
    public void Kill()
    {
        if (!_process.HasExited) _process.Kill(entireProcessTree: true);
        _process.WaitForExit(10_000);
    }

    /// <summary>SIGTERM: a graceful shutdown (finish the iteration, checkpoint, release).</summary>
    public void Terminate()
    {
        if (_process.HasExited) return;
        using var kill = Process.Start("kill", ["-TERM", _process.Id.ToString()]);
        kill.WaitForExit();
    }

    public bool WaitForExit(TimeSpan timeout) => _process.WaitForExit((int)timeout.TotalMilliseconds);

    public void Dispose()
    {
        Kill();
        _process.Dispose();
    }
}
