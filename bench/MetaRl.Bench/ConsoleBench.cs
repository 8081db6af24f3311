using System.Diagnostics;
using MetaRl.Testing;

namespace MetaRl.Bench;

/// <summary>
/// How long the console's read commands take as a researcher meets them: wall time of a whole
/// `metarl` process (start, connection, the grains' answer, output, exit), median of N, on a data
/// folder holding the demo sweep — (a) resting (the console hosts a silo that only answers, in its own
/// process) and (b) served by a running metarl-silo (the console is an Orleans client of it). Each row
/// runs the console as ./metarl does (ReadyToRun) beside the same assemblies JIT-compiled (the build's
/// IL output), so the ratio shows what ahead-of-time compilation buys. Goals (issue 21): ≤ 1.5 s
/// resting, ≤ 0.5 s served.
/// </summary>
public static class ConsoleBench
{
    private static readonly string[][] Commands =
    [
        ["sweep", "show", "demo-sine"],
        ["sweep", "list"],
        ["run", "tail", "demo-sine-roml-a0.05-s1", "--last", "5"],
        ["grain", "show", "run/demo-sine-roml-a0.05-s1"],
        ["grain", "show", "cem/demo-sine-roml-a0.05-s1", "--history", "--json"],
        ["sweep", "report", "demo-sine", "--json"],
    ];

    public static int Run(string[] args)
    {
        BenchArgs a;
        try
        {
            a = new BenchArgs(args, "repeats");
        }
        catch (ArgumentException e)
        {
            Console.Error.WriteLine(e.Message);
            return 2;
        }
        int repeats = a.Int("repeats", 5);
        var root = TorchBench.RepoRoot();
        var aot = Path.Combine(root, "Client", "bin", "Release", "ready-to-run", "metarl.dll");
        var jit = Path.Combine(root, "Client", "bin", "Release", "net10.0", "metarl.dll");
        foreach (var dll in new[] { aot, jit })
            if (!File.Exists(dll)) { Console.Error.WriteLine($"{dll} is missing; run make build"); return 2; }

        var folder = Path.Combine(Path.GetTempPath(), $"metarl-bench-console-{Guid.NewGuid():N}");
        Directory.CreateDirectory(folder);
        var data = Path.Combine(folder, "data");
        Console.WriteLine("preparing: the demo sweep (experiments/demo-sweep.json) to the end on a fresh folder …");
        var (code, _, err) = Console_(aot, folder, ["sweep", "run", Path.Combine(root, "experiments", "demo-sweep.json"), "--data", data, "--report-dir", Path.Combine(folder, "reports")], TimeSpan.FromMinutes(15));
        if (code != 0) { Console.Error.WriteLine($"the demo sweep failed ({code}): {err}"); return 1; }

        var rows = new List<object>();
        Console.WriteLine($"{"command",-64} {"where",-8} {"ReadyToRun",10} {"JIT",8} {"ratio",6}  goal");
        foreach (var served in new[] { false, true })
        {
            SiloProcess? silo = null;
            if (served)
            {
                silo = SiloProcess.Start("bench-console", folder, new Dictionary<string, string> { ["STORAGE"] = "local", ["DATA"] = data });
                // Serving once the folder names it and a query answers through it.
                var until = DateTime.UtcNow + TimeSpan.FromMinutes(2);
                while (Console_(aot, folder, ["sweep", "list", "--data", data], TimeSpan.FromMinutes(1)).Code != 0 || !File.Exists(Path.Combine(data, "local-silo.json")))
                {
                    if (DateTime.UtcNow > until) { Console.Error.WriteLine($"the silo did not serve the folder:\n{silo.Tail()}"); return 1; }
                    Thread.Sleep(500);
                }
            }
            try
            {
                foreach (var command in Commands)
                {
                    var args_ = command.Append("--data").Append(data).ToArray();
                    Console_(aot, folder, args_, TimeSpan.FromMinutes(2)); // warm the file cache and, when served, the grains
                    double fast = Median(aot, folder, args_, repeats), slow = Median(jit, folder, args_, repeats);
                    double goal = served ? 0.5 : 1.5;
                    string where = served ? "served" : "resting";
                    Console.WriteLine($"{string.Join(' ', command),-64} {where,-8} {fast,9:F2}s {slow,7:F2}s {fast / slow,6:F2}  ≤ {goal} s {(fast <= goal ? "met" : "NOT met")}");
                    rows.Add(new { command = string.Join(' ', command), where, ready_to_run_s = fast, jit_s = slow, goal_s = goal });
                }
            }
            finally
            {
                silo?.Terminate();
                silo?.WaitForExit(TimeSpan.FromMinutes(1));
                silo?.Dispose();
            }
        }
        TorchBench.WriteResults("console", new { repeats, rows });
        try { Directory.Delete(folder, recursive: true); } catch (IOException) { }
        return 0;
    }

    private static double Median(string dll, string folder, string[] args, int repeats)
    {
        var seconds = new List<double>();
        for (int i = 0; i < repeats; i++)
        {
            var watch = Stopwatch.StartNew();
            var (code, _, err) = Console_(dll, folder, args, TimeSpan.FromMinutes(2));
            if (code != 0) throw new InvalidOperationException($"metarl {string.Join(' ', args)} exited {code}: {err}");
            seconds.Add(watch.Elapsed.TotalSeconds);
        }
        return Stats.Median(seconds);
    }

    private static (int Code, string Out, string Err) Console_(string dll, string folder, string[] args, TimeSpan timeout)
    {
        var psi = new ProcessStartInfo("dotnet") { WorkingDirectory = folder, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        psi.ArgumentList.Add(dll);
        foreach (var x in args) psi.ArgumentList.Add(x);
        foreach (var key in psi.Environment.Keys.Where(k => k.StartsWith("METARL_", StringComparison.Ordinal)).ToList()) psi.Environment.Remove(key);
        using var p = Process.Start(psi)!;
        var output = p.StandardOutput.ReadToEndAsync();
        var error = p.StandardError.ReadToEndAsync();
        if (!p.WaitForExit(timeout)) { p.Kill(entireProcessTree: true); throw new TimeoutException($"metarl {string.Join(' ', args)} took longer than {timeout}"); }
        return (p.ExitCode, output.Result, error.Result);
    }
}
