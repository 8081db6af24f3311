using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using MetaRl.Learning.Common;
using static TorchSharp.torch;

namespace MetaRl.Bench;

/// <summary>
/// bench `torch`: three workloads in C# on TorchSharp and in Python PyTorch (Debian's python3-torch),
/// alternating in rounds within one run (so both see the same machine state), then the ratio of
/// median iteration times. Goals: maml_sine ≤ 0.3, mlp_adam ≤ 0.8, gru_context ≤ 1.0 (issue 11), td3_context ≤ 1.0 (issue 12).
/// </summary>
public static class TorchBench
{
    private const string Python = "/usr/bin/python3";

    public static int Run(string[] args)
    {
        BenchArgs a;
        try
        {
            a = new BenchArgs(args, "threads", "scale", "rounds", "only");
        }
        catch (ArgumentException e)
        {
            Console.Error.WriteLine(e.Message);
            return 2;
        }
        int threads = a.Int("threads", 1);
        double scale = a.Double("scale", 1.0);
        int rounds = a.Int("rounds", 3);
        var script = Path.Combine(RepoRoot(), "bench", "reference", "torch_workloads.py");
        if (!File.Exists(Python))
        {
            Console.Error.WriteLine($"{Python} not found: run 'infra/bootstrap.sh' (installs python3-torch)");
            return 1;
        }

        int cores = Environment.ProcessorCount;
        // (row, C# workload, C# intra-op threads, Python workload, Python threads, goal)
        var rows = new List<(string Row, string Cs, int CsThreads, string Py, int PyThreads, double Goal)>
        {
            ("mlp_adam", "mlp_adam", threads, "mlp_adam", threads, 0.8),
            ("maml_sine", "maml_sine", threads, "maml_sine", threads, 0.3),
            ("gru_context", "gru_context", threads, "gru_context", threads, 1.0),
            ("td3_context", "td3_context", threads, "td3_context", threads, 1.0),
            ("td3_linear", "td3_linear", threads, "td3_linear", threads, double.NaN),
            ("td3_gru", "td3_gru", threads, "td3_gru", threads, double.NaN),
            ("td3_adam", "td3_adam", threads, "td3_adam", threads, double.NaN),
        };
        if (cores > 1 && threads != cores)
            rows.Insert(2, ($"maml_sine {cores} threads", "maml_sine", cores, "maml_sine", cores, double.NaN));
        if (a.String("only") is { } only)
        {
            var names = only.Split(',');
            if (names.FirstOrDefault(n => !rows.Any(r => r.Cs == n)) is { } unknown)
            {
                Console.Error.WriteLine($"--only '{unknown}' is not known; allowed: {string.Join(", ", rows.Select(r => r.Cs).Distinct())}");
                return 2;
            }
            rows.RemoveAll(r => !names.Contains(r.Cs));
        }
        Console.WriteLine($"bench torch: C# on TorchSharp (libtorch {TorchRuntime.Version}), Python on torch {PythonReference.TorchVersion(Python)}; {rounds} rounds, {cores} cores");
        Console.WriteLine($"  C# BLAS: {TorchRuntime.Blas()}; Debian 12 fix {(TorchRuntime.DebianFixInUse ? "in use" : "not needed")}");
        var cs = rows.ToDictionary(r => r.Row, _ => new List<double>());
        var py = rows.ToDictionary(r => r.Row, _ => new List<double>());
        using var reference = new PythonReference(Python, script);
        // Fine interleaving: per round and row, a C# chunk then the same-size Python chunk.
        for (int round = 1; round <= rounds; round++)
        {
            foreach (var r in rows)
            {
                int reps = Math.Max(3, (int)(TorchWorkloads.DefaultReps[r.Cs] * scale / 2));
                for (int half = 0; half < 2; half++)
                {
                    set_num_threads(r.CsThreads);
                    cs[r.Row].AddRange(TorchWorkloads.Run(r.Cs, reps));
                    py[r.Row].AddRange(reference.Run(r.Py, r.PyThreads, reps));
                }
            }
            Console.WriteLine($"  round {round}/{rounds} done");
        }

        Console.WriteLine();
        Console.WriteLine($"{"workload",-22} {"threads C#/Py",13} {"C# ms/iter",11} {"Python ms/iter",15} {"C#/Python",10} {"goal",6}");
        var results = new Dictionary<string, object>();
        foreach (var r in rows)
        {
            double c = Stats.Median(cs[r.Row]) * 1000, p = Stats.Median(py[r.Row]) * 1000;
            string goal = double.IsNaN(r.Goal) ? "" : $"≤{r.Goal:F1}";
            Console.WriteLine($"{r.Row,-22} {r.CsThreads + "/" + r.PyThreads,13} {c,11:F3} {p,15:F3} {c / p,10:F2} {goal,6}");
            results[r.Row] = new { csharpWorkload = r.Cs, pythonWorkload = r.Py, r.CsThreads, r.PyThreads, csharpMs = c, pythonMs = p, ratio = c / p, goal = double.IsNaN(r.Goal) ? (double?)null : r.Goal };
        }
        set_num_threads(1);
        Console.WriteLine("(ratio < 1: C# faster)");
        WriteResults("torch", new { threads, rounds, scale, torch = TorchRuntime.Version, results });
        return 0;
    }

    internal static string RepoRoot()
    {
        for (var d = new DirectoryInfo(AppContext.BaseDirectory); d is not null; d = d.Parent)
            if (File.Exists(Path.Combine(d.FullName, "MetaRl.Orleans.sln"))) return d.FullName;
        throw new InvalidOperationException("repository root not found");
    }

    internal static void WriteResults(string bench, object results)
    {
        var folder = Path.Combine(RepoRoot(), "bench", "results");
        Directory.CreateDirectory(folder);
        var path = Path.Combine(folder, $"{bench}-{DateTime.UtcNow:yyyyMMdd-HHmmss}.json");
        File.WriteAllText(path, JsonSerializer.Serialize(results, new JsonSerializerOptions { WriteIndented = true }));
        Console.WriteLine($"results: {Path.GetRelativePath(RepoRoot(), path)}");
    }
}
