using System.Text.Json;
using MetaRl.Grains;
using MetaRl.Grains.Interfaces;
using MetaRl.Grains.Interfaces.Specs;
using MetaRl.Grains.Interfaces.State;
using MetaRl.Learning.Torch.Serialization;
using MetaRl.Learning.Training;
using MetaRl.Storage;
using MetaRl.Testing;

namespace MetaRl.Integration.Tests;

/// <summary>What the chaos tests share: small sweeps, silo settings, references and the exactly-once check.</summary>
public static class Chaos
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
        Evaluation = new SweepEvaluation { TestTasks = 20, ValidationTasks = 8, ValidateEvery = 10 },
        Run = JsonDocument.Parse("""{"metaBatch": 10, "supervised": {"hidden": [32, 32], "innerSteps": 3}, "cem": {"batchSize": 20, "originalFraction": 0.2}}""").RootElement,
    };

    /// <summary>Silo settings for tests: the shortest lease Azure allows, frequent checkpoints, quick polling.</summary>
    public static Dictionary<string, string> SiloSettings(string storage, string location, bool exitWhenIdle) => new()
    {
        ["STORAGE"] = storage,
        [storage == "azure" ? "AZURE_CONNECTION_STRING" : "DATA"] = location,
        ["SILO__COREBUDGET"] = "1",
        ["SILO__POLLINTERVAL"] = "00:00:00.5",
        ["SILO__HEARTBEATINTERVAL"] = "00:00:02",
        ["SILO__EXITWHENIDLE"] = exitWhenIdle ? "true" : "false",
        ["SILO__EXECUTOR__LEASEDURATION"] = "00:00:15",
        ["SILO__EXECUTOR__LEASERENEWAL"] = "00:00:04",
        ["SILO__EXECUTOR__CHECKPOINTEVERYITERATIONS"] = "5",
        ["SILO__EXECUTOR__CONTROLPOLL"] = "00:00:00.5",
    };

    public static string TempFolder(string name)
    {
        var folder = Path.Combine(Path.GetTempPath(), $"metarl-{name}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(folder);
        return folder;
    }

    /// <summary>The run done straight in this process: metric lines and final parameters.</summary>
    public static (List<string> Lines, byte[] Parameters) Reference(RunState state)
    {
        var spec = JsonSerializer.Deserialize<RunSpec>(state.SpecJson, GrainJson.Options)!;
        using var run = new MetaTrainingRun(SweepExpansion.ForCores(spec, Math.Max(1, state.Cores)));
        var lines = new List<string>();
        while (!run.Done) lines.Add(JsonSerializer.Serialize(run.Step(), GrainJson.Options));
        return (lines, run.Learner.SaveParameters());
    }

    /// <summary>The run completed, recorded every iteration exactly once, and ended with exactly the reference's parameters.</summary>
    public static async Task AssertExactAsync(IBlobStore store, string runId)
    {
        var grains = new GrainFactory(store);
        var state = (await grains.Run(runId).GetAsync(CancellationToken.None))!;
        Assert.AreEqual(RunStatus.Completed, state.Status, $"{runId}: {state.Error}");
        var (lines, parameters) = Reference(state);
        var recorded = (await grains.Run(runId).MetricsAsync(0, CancellationToken.None)).ToList();
        Assert.AreEqual(lines.Count, recorded.Count, $"{runId}: one metric line per iteration");
        CollectionAssert.AreEqual(lines, recorded, $"{runId}: metric lines equal the uninterrupted run's");
        var model = TensorArchive.FromBytes((await store.ReadAsync(StoragePaths.RunModel(runId), CancellationToken.None))!.Content);
        CollectionAssert.AreEqual(parameters, model.GetBytes("final"), $"{runId}: final parameters equal the uninterrupted run's");
    }

    public static async Task<RunState> WaitForAsync(IBlobStore store, string runId, Func<RunState, bool> condition, TimeSpan timeout, Func<string>? context = null)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var state = (await store.ReadAsync<RunState>(StoragePaths.Run(runId), CancellationToken.None))?.Value;
            if (state is not null && condition(state)) return state;
            if (DateTime.UtcNow > deadline) Assert.Fail($"timed out waiting for {runId} (last state: {state?.Status} at {state?.Iteration}, owner {state?.Owner}){(context is null ? "" : "\n" + context())}");
            await Task.Delay(100);
        }
    }
}
