using System.Diagnostics;
using MetaRl.Testing;

namespace MetaRl.Client.Tests;

/// <summary>The console run by tests: in this process (its output captured), or as a process of its own.</summary>
internal static class ConsoleRuns
{
    /// <summary>`metarl ARGS` in this process: exit code, stdout, stderr.</summary>
    public static async Task<(int Code, string Out, string Err)> InProcessAsync(params string[] args)
    {
        var (oldOut, oldErr) = (Console.Out, Console.Error);
        var (o, e) = (new StringWriter(), new StringWriter());
        Console.SetOut(o);
        Console.SetError(e);
        try
        {
            int code = await Cli.RunAsync(args);
            return (code, o.ToString(), e.ToString());
        }
        finally
        {
            Console.SetOut(oldOut);
            Console.SetError(oldErr);
        }
    }

    /// <summary>
    /// `metarl ARGS` as a process that the file system's permissions bind: as root (who reads a file
    /// whatever its mode) it runs without the capabilities to override them (setpriv). Null when that
    /// cannot be had here.
    /// </summary>
    public static (int Code, string Out, string Err)? WithoutPermissionOverride(string workingDirectory, params string[] args)
    {
        if (!Environment.IsPrivilegedProcess) return CliProcess.Run(workingDirectory, args, TimeSpan.FromMinutes(2));
        if (!PermissionsBindUnderSetpriv()) return null;
        var psi = new ProcessStartInfo("setpriv") { WorkingDirectory = workingDirectory, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in new[] { "--bounding-set=-dac_override,-dac_read_search", "dotnet", CliProcess.Assembly }.Concat(args)) psi.ArgumentList.Add(a);
        foreach (var key in psi.Environment.Keys.Where(k => k.StartsWith("METARL_", StringComparison.Ordinal)).ToList()) psi.Environment.Remove(key);
        psi.Environment["OTEL_EXPORTER_OTLP_ENDPOINT"] = "";
        using var process = Process.Start(psi)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(120_000))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"metarl {string.Join(' ', args)} did not end within 2 minutes");
        }
        return (process.ExitCode, stdout.Result, stderr.Result);
    }

    private static bool PermissionsBindUnderSetpriv()
    {
        var probe = Path.Combine(Directory.CreateTempSubdirectory("metarl-setpriv-").FullName, "closed");
        File.WriteAllText(probe, "x");
        File.SetUnixFileMode(probe, UnixFileMode.None);
        try
        {
            var psi = new ProcessStartInfo("setpriv") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            foreach (var a in new[] { "--bounding-set=-dac_override,-dac_read_search", "cat", probe }) psi.ArgumentList.Add(a);
            using var process = Process.Start(psi)!;
            process.WaitForExit(10_000);
            return process.ExitCode != 0 && process.StandardOutput.ReadToEnd().Length == 0;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return false; // no setpriv (util-linux)
        }
    }

    /// <summary>A copy of a folder, files with their modification times.</summary>
    public static void CopyFolder(string from, string to)
    {
        foreach (var dir in Directory.EnumerateDirectories(from, "*", SearchOption.AllDirectories))
            Directory.CreateDirectory(Path.Combine(to, Path.GetRelativePath(from, dir)));
        Directory.CreateDirectory(to);
        foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(to, Path.GetRelativePath(from, file));
            File.Copy(file, target);
            File.SetLastWriteTimeUtc(target, File.GetLastWriteTimeUtc(file));
        }
    }
}
