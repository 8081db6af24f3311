using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using MetaRl.Learning.Torch;

namespace MetaRl.Bench;

/// <summary>
/// bench `torch`: the three workloads of issue 3 in C# and in Python PyTorch, alternating in rounds
/// within one run (so both see the same machine state), then the ratio of median iteration times.
/// </summary>
public static class TorchBench
{
    private const string Python = "/usr/bin/python3";

    public static int Run(string[] args)
    {
        BenchArgs a;
        try
        {
            a = new BenchArgs(args, "threads", "scale", "rounds");
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
            Console.Error.WriteLine($"{Python} not found: run 'infra/bootstrap.sh --bench' (installs python3-torch)");
            return 1;
        }

        int cores = Environment.ProcessorCount;
        // (row, C# workload, C# intra-op threads, Python workload, Python threads)
        var rows = new (string Row, string Cs, int CsThreads, string Py, int PyThreads)[]
        {
            ("mlp_adam", "mlp_adam", threads, "mlp_adam", threads),
            ("maml_sine", "maml_sine", threads, "maml_sine", threads),
            ($"maml_sine {cores} cores", "maml_sine_parallel", 1, "maml_sine", cores),
            ("gru_context", "gru_context", threads, "gru_context", threads),
            ("gru_context fused", "gru_context_fused", threads, "gru_context", threads),
        };
        Console.WriteLine($"bench torch: libtorch {TorchRuntime.Version}, BLAS {TorchRuntime.LoadedBlasLibrary().Split(',')[0]}, {rounds} rounds, {cores} cores");
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
                    TorchRuntime.Threads = r.CsThreads;
                    cs[r.Row].AddRange(TorchWorkloads.Run(r.Cs, reps));
                    py[r.Row].AddRange(reference.Run(r.Py, r.PyThreads, reps));
                }
            }
            Console.WriteLine($"  round {round}/{rounds} done");
        }

        Console.WriteLine();
        Console.WriteLine($"{"workload",-22} {"threads C#/Py",13} {"C# ms/iter",11} {"Python ms/iter",15} {"C#/Python",10}");
        var results = new Dictionary<string, object>();
        foreach (var r in rows)
        {
            double c = Stats.Median(cs[r.Row]) * 1000, p = Stats.Median(py[r.Row]) * 1000;
            Console.WriteLine($"{r.Row,-22} {r.CsThreads + "/" + r.PyThreads,13} {c,11:F3} {p,15:F3} {c / p,10:F2}");
            results[r.Row] = new { csharpWorkload = r.Cs, pythonWorkload = r.Py, r.CsThreads, r.PyThreads, csharpMs = c, pythonMs = p, ratio = c / p };
        }
        Console.WriteLine("(ratio < 1: C# faster; goal ≤ 0.70)");
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
