using System.Diagnostics;

namespace MetaRl.Testing;

/// <summary>The `metarl` console as a separate process (the built Client project), as a user runs it.</summary>
public sealed class CliProcess : IDisposable
{
    private readonly Process _process;
    private readonly List<string> _stdout = new();
    private readonly List<string> _stderr = new();

    private CliProcess(Process process) => _process = process;

    public static string Assembly => Path.Combine(RepoPaths.Root, "Client", "bin", "Release", "net10.0", "metarl.dll");

    public Process Process => _process;
    public bool HasExited => _process.HasExited;
    public int ExitCode => _process.ExitCode;

    public string Stdout
    {
        get
        {
            lock (_stdout) return string.Join("\n", _stdout);
        }
    }

    public string Stderr
    {
        get
        {
            lock (_stderr) return string.Join("\n", _stderr);
        }
    }

    /// <summary>Starts `metarl ARGS` in <paramref name="workingDirectory"/>, with METARL_* variables cleared and <paramref name="environment"/> set.</summary>
    public static CliProcess Start(string workingDirectory, IEnumerable<string> args, IReadOnlyDictionary<string, string>? environment = null)
    {
        if (!File.Exists(Assembly)) throw new InvalidOperationException($"{Assembly} is missing; build the solution first");
        var psi = new ProcessStartInfo("dotnet") { WorkingDirectory = workingDirectory, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        psi.ArgumentList.Add(Assembly);
        foreach (var a in args) psi.ArgumentList.Add(a);
        foreach (var key in psi.Environment.Keys.Where(k => k.StartsWith("METARL_", StringComparison.Ordinal)).ToList()) psi.Environment.Remove(key);
        psi.Environment["OTEL_EXPORTER_OTLP_ENDPOINT"] = "";
        foreach (var (k, v) in environment ?? new Dictionary<string, string>()) psi.Environment[k] = v;
        var cli = new CliProcess(Process.Start(psi) ?? throw new InvalidOperationException("could not start metarl"));
        cli._process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (cli._stdout) cli._stdout.Add(e.Data); };
        cli._process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (cli._stderr) cli._stderr.Add(e.Data); };
        cli._process.BeginOutputReadLine();
        cli._process.BeginErrorReadLine();
        return cli;
    }

    /// <summary>Runs `metarl ARGS` to its end (killed after <paramref name="timeout"/>): exit code, stdout, stderr.</summary>
    public static (int Code, string Out, string Err) Run(string workingDirectory, IEnumerable<string> args, TimeSpan timeout, IReadOnlyDictionary<string, string>? environment = null)
    {
        using var cli = Start(workingDirectory, args, environment);
        if (!cli.WaitForExit(timeout))
        {
            cli.Kill();
            throw new TimeoutException($"metarl {string.Join(' ', args)} did not end within {timeout}:\n{cli.Stdout}\n{cli.Stderr}");
        }
        return (cli.ExitCode, cli.Stdout, cli.Stderr);
    }

    public bool WaitForExit(TimeSpan timeout)
    {
        if (!_process.WaitForExit((int)timeout.TotalMilliseconds)) return false;
        _process.WaitForExit(); // drain the output readers
        return true;
    }

    public void Interrupt() => Signals.Send(_process, "INT");

    public void Kill()
    {
        if (!_process.HasExited) _process.Kill(entireProcessTree: true);
        _process.WaitForExit(10_000);
    }

    public void Dispose()
    {
        Kill();
        _process.Dispose();
    }
}
