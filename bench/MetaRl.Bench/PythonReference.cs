using System.Diagnostics;
using System.Globalization;
using System.Text.Json;

namespace MetaRl.Bench;

/// <summary>A long-lived reference process (torch_workloads.py --serve): one request line, one JSON answer.</summary>
public sealed class PythonReference : IDisposable
{
    private readonly Process _process;

    public PythonReference(string python, string script)
    {
        var psi = new ProcessStartInfo(python)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = false,
            UseShellExecute = false,
        };
        psi.ArgumentList.Add(script);
        psi.ArgumentList.Add("--serve");
        _process = Process.Start(psi) ?? throw new InvalidOperationException($"could not start {python}");
    }

    /// <summary>The torch version the given Python imports.</summary>
    public static string TorchVersion(string python)
    {
        var psi = new ProcessStartInfo(python) { RedirectStandardOutput = true, UseShellExecute = false };
        psi.ArgumentList.Add("-c");
        psi.ArgumentList.Add("import torch; print(torch.__version__)");
        using var p = Process.Start(psi) ?? throw new InvalidOperationException($"could not start {python}");
        var version = p.StandardOutput.ReadToEnd().Trim();
        p.WaitForExit();
        return version;
    }

    public List<double> Run(string workload, int threads, int reps)
    {
        _process.StandardInput.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{workload} {threads} {reps}"));
        _process.StandardInput.Flush();
        var line = _process.StandardOutput.ReadLine() ?? throw new InvalidOperationException($"the reference exited (code {(_process.HasExited ? _process.ExitCode : -1)})");
        return JsonSerializer.Deserialize<List<double>>(line)!;
    }

    public void Dispose()
    {
        try
        {
            _process.StandardInput.Close();
            if (!_process.WaitForExit(5000)) _process.Kill();
        }
        catch (InvalidOperationException)
        {
        }
        _process.Dispose();
    }
}
