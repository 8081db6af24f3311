using System.Text.Json;
using MetaRl.Grains;
using MetaRl.Grains.Interfaces.Specs;
using MetaRl.Learning.Training;

namespace MetaRl.Integration.Tests;

/// <summary>The sweeps the integration tests run, and what an uninterrupted run of each of their runs records.</summary>
public static class Sweeps
{
    public static SweepSpec Sine(string name, int iterations, int seeds, string[] methods) => new()
    {
        Name = name,
        Family = "Sine",
        Learner = "maml",
        Methods = methods,
        Alpha = [0.2],
        Seeds = seeds,
        Budget = new SweepBudget { Iterations = iterations },
        Evaluation = new SweepEvaluation { TestTasks = 20, ValidationTasks = 8, ValidateEvery = 50 },
        Run = JsonDocument.Parse("""{"metaBatch": 10, "supervised": {"hidden": [32, 32], "innerSteps": 3}, "cem": {"batchSize": 20, "originalFraction": 0.2}}""").RootElement,
    };

    /// <summary>Writes the spec where the console can read it.</summary>
    public static string Write(SweepSpec spec, string folder)
    {
        var path = Path.Combine(folder, $"{spec.Name}.json");
        File.WriteAllText(path, JsonSerializer.Serialize(spec, GrainJson.Options));
        return path;
    }

    /// <summary>Every run of the sweep done straight in this process, two at a time: run id → (metric lines, final parameters).</summary>
    public static Dictionary<string, (List<string> Lines, byte[] Parameters)> References(SweepSpec spec)
    {
        var runs = SweepExpansion.Expand(spec);
        var results = new (List<string>, byte[])[runs.Count];
        Parallel.For(0, runs.Count, new ParallelOptions { MaxDegreeOfParallelism = 2 }, i =>
        {
            using var run = new MetaTrainingRun(SweepExpansion.ForCores(runs[i].Spec, 1));
            var lines = new List<string>();
            while (!run.Done) lines.Add(JsonSerializer.Serialize(run.Step(), GrainJson.Options));
            results[i] = (lines, run.Learner.SaveParameters());
        });
        return runs.Select((r, i) => (r.Run.RunId, results[i])).ToDictionary(x => x.RunId, x => x.Item2);
    }

    public static string TempFolder(string name)
    {
        var folder = Path.Combine(Path.GetTempPath(), $"metarl-{name}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(folder);
        return folder;
    }
}
