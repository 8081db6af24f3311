using System.Diagnostics;

namespace MetaRl.Testing;

/// <summary>A real metarl-silo process (the built Silo project), configured through METARL_* variables, on free loopback ports.</summary>
public sealed class SiloProcess : IDisposable
{
    private readonly Process _process;
    private readonly List<string> _output = new();

    private SiloProcess(Process process, string siloName, int gatewayPort)
    {
        _process = process;
        SiloName = siloName;
        GatewayPort = gatewayPort;
    }

    public string SiloName { get; }
    public int GatewayPort { get; }
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

    public string Tail(int lines = 30) => string.Join("\n", Output.TakeLast(lines));

    public static string SiloAssembly => Path.Combine(RepoPaths.Root, "Silo", "bin", "Release", "net10.0", "metarl-silo.dll");

    /// <summary>Starts a silo with the given settings (keys like "SILO__COREBUDGET", "STORAGE", "AZURE_CONNECTION_STRING"; METARL_ is added).</summary>
    public static SiloProcess Start(string siloName, string workingDirectory, IReadOnlyDictionary<string, string> settings, IEnumerable<string>? arguments = null)
    {
        if (!File.Exists(SiloAssembly)) throw new InvalidOperationException($"{SiloAssembly} is missing; build the solution first");
        var psi = new ProcessStartInfo("dotnet") { WorkingDirectory = workingDirectory, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        psi.ArgumentList.Add(SiloAssembly);
        foreach (var a in arguments ?? []) psi.ArgumentList.Add(a);
        foreach (var key in psi.Environment.Keys.Where(k => k.StartsWith("METARL_", StringComparison.Ordinal)).ToList()) psi.Environment.Remove(key);
        int gateway = FreePort.Pick();
        int siloPort;
        do siloPort = FreePort.Pick(); while (siloPort == gateway); // the OS may hand the same port out twice
        psi.Environment["METARL_CLUSTER__SILONAME"] = siloName;
        psi.Environment["METARL_CLUSTER__SILOPORT"] = siloPort.ToString();
        psi.Environment["METARL_CLUSTER__GATEWAYPORT"] = gateway.ToString();
        psi.Environment["OTEL_EXPORTER_OTLP_ENDPOINT"] = "";
        foreach (var (k, v) in settings) psi.Environment["METARL_" + k] = v;
        var process = Process.Start(psi) ?? throw new InvalidOperationException("could not start the silo");
        var silo = new SiloProcess(process, siloName, gateway);
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (silo._output) silo._output.Add(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (silo._output) silo._output.Add(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return silo;
    }

    /// <summary>SIGKILL: the machine died. No checkpoint, no goodbye to the cluster.</summary>
    public void Kill()
    {
        if (!_process.HasExited) _process.Kill(entireProcessTree: true);
        _process.WaitForExit(10_000);
    }

    /// <summary>SIGTERM: a graceful shutdown (each run finishes its iteration and checkpoints).</summary>
    public void Terminate() => Signals.Send(_process, "TERM");

    public bool WaitForExit(TimeSpan timeout)
    {
        if (!_process.WaitForExit((int)timeout.TotalMilliseconds)) return false;
        _process.WaitForExit(); // drain the output readers (the timed wait returns before they have read everything)
        return true;
    }

    public void Dispose()
    {
        Kill();
        _process.Dispose();
    }
}
