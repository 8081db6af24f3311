using System.Text.Json;
using MetaRl.Grains.Execution;
using MetaRl.Grains.Interfaces;
using MetaRl.Grains.Interfaces.Specs;
using MetaRl.Grains.Interfaces.State;
using MetaRl.Testing;

namespace MetaRl.Integration.Tests;

[TestClass]
[DoNotParallelize]
public sealed class MqlFailoverTests
{
    /// <summary>Point-Robot MQL runs of ~30 s on one core, with a final evaluation of a few seconds (12 test tasks, each adapted).</summary>
    private static SweepSpec Spec(string name) => new()
    {
        Name = name,
        Family = "Point-Robot",
        Learner = "mql",
        Methods = ["baseline", "cvar-ml"],
        Alpha = [0.5],
        Seeds = 1,
        Budget = new SweepBudget { Iterations = 200 },
        Evaluation = new SweepEvaluation { TestTasks = 12, ValidationTasks = 2, ValidateEvery = 0 },
        Run = JsonDocument.Parse("""
            {"metaBatch": 3, "mql": {"hidden": [64, 64], "batchSize": 64, "burnInSteps": 200, "updatesPerStep": 1, "history": 8, "contextWidth": 8,
             "trainingTasks": 6, "replayPerTask": 512, "segmentSize": 64, "adaptationSteps": 40, "propensityReplaySamples": 256,
             "adaptationPhase1Steps": 10, "adaptationPhase2Steps": 200}}
            """).RootElement,
    };

    [TestMethod]
    [Timeout(900_000, CooperativeCancellation = true)]
    public async Task Mql_runs_resume_exactly_after_a_silo_dies_mid_training_and_another_mid_adaptation()
    {
        // A core's worth of competing work beside the silos: exactness must not depend on timing.
        using var load = new CpuContention();
        await using var cluster = new SiloCluster("mqlkill");
        for (int i = 0; i < 2; i++) cluster.StartSilo($"silo-{i}");
        await cluster.ConnectAsync(silos: 2);
        var spec = Spec("mqlkill");
        var submitted = await cluster.Grains.GetGrain<ISweepGrain>(spec.Name).SubmitAsync(spec);
        Assert.IsTrue(submitted.Accepted, string.Join("; ", submitted.Problems));
        var runs = submitted.Sweep!.Runs.Select(r => r.RunId).ToList();
        int started = 2;

        // 1: the silo of a run with committed progress, mid meta-training.
        var (victim, _) = await WaitForRunAsync(cluster, runs, s => s.Status == RunStatus.Running && s.Iteration >= 40 && s.Iteration < 160);
        Kill(cluster, victim);
        cluster.StartSilo($"silo-{started++}");

        // 2: the silo of a run whose every iteration is committed and which is evaluating (adapting to each test task).
        var (evaluator, runId) = await WaitForRunAsync(cluster, runs, s => s.Status == RunStatus.Running && s.Iteration == 200);
        Kill(cluster, evaluator);
        cluster.StartSilo($"silo-{started++}");

        await Progress.UntilAsync(cluster, runs, "the sweep to complete", async () =>
            await SiloCluster.TryAsync(() => cluster.Grains.GetGrain<ISweepGrain>(spec.Name).GetAsync()) is { Complete: true } s ? s : null);
        var done = (await cluster.Grains.GetGrain<ISweepGrain>(spec.Name).GetAsync())!;
        Assert.AreEqual(2, done.Completed);
        var references = Sweeps.References(spec);
        foreach (var run in runs)
        {
            await Exact.AssertAsync(cluster, run, references[run]);
            for (int t = 0; t < 6; t++)
            {
                var task = await cluster.Grains.GetGrain<ITaskGrain>($"{run}.{ReplayPieces.TaskId(t)}").GetAsync();
                if (task is not null) Assert.AreEqual(task.ReplaySegments * 64L, task.ReplayTransitions, $"{run}/{task.TaskId}: each segment counted once");
            }
        }
        Assert.IsTrue((await cluster.Grains.GetGrain<IMetaPolicyGrain>(runId).GetAsync())!.State.Activations >= 2, "the evaluating run was taken over");
    }

    /// <summary>A run in the given state and the live silo training it, waiting as long as the runs make progress.</summary>
    private static async Task<(string Silo, string RunId)> WaitForRunAsync(SiloCluster cluster, IReadOnlyList<string> runs, Func<RunState, bool> condition)
    {
        var found = await Progress.UntilAsync(cluster, runs, "a run in the state to kill its silo in", async () =>
        {
            foreach (var run in runs)
            {
                var view = await SiloCluster.TryAsync(() => cluster.Grains.GetGrain<IMetaPolicyGrain>(run).GetAsync());
                if (view is not null && condition(view.State) && view.Live.Silo is { Length: > 0 } silo
                    && cluster.Silos.Any(s => s.SiloName == silo && !s.HasExited))
                    return Tuple.Create(silo, run);
            }
            return null;
        });
        return (found.Item1, found.Item2);
    }

    private static void Kill(SiloCluster cluster, string siloName)
    {
        var silo = cluster.Silos.Single(s => s.SiloName == siloName && !s.HasExited);
        silo.Kill();
        Console.WriteLine($"{DateTime.UtcNow:HH:mm:ss.fff} killed {silo.SiloName}");
    }
}
