using System.Diagnostics;
using System.Text.Json;
using MetaRl.Grains;
using MetaRl.Grains.Execution;
using MetaRl.Grains.Interfaces;
using MetaRl.Grains.Interfaces.Specs;
using MetaRl.Grains.Interfaces.State;
using MetaRl.Learning.Training;
using MetaRl.Storage;
using MetaRl.Testing;

namespace MetaRl.Bench;

/// <summary>
/// bench `grains`: the orchestration costs issue 6 sets goals for, each measured against its goal
/// (the reference is the goal itself; nothing else does this job):
/// (a) checkpoint cost as a share of iteration time at the default interval (≤ 1%),
/// (b) time from a silo's death to its run making progress on another silo (≤ lease + 10 s),
/// (c) expanding and dispatching a 1000-run sweep against Azurite (≤ 10 s),
/// (d) runs per hour with 1 and 2 silo processes.
/// </summary>
public static class GrainBench
{
    public static async Task<int> RunAsync(string[] args)
    {
        BenchArgs a;
        try
        {
            a = new BenchArgs(args, "only");
        }
        catch (ArgumentException e)
        {
            Console.Error.WriteLine(e.Message);
            return 2;
        }
        var only = a.String("only");
        using var azurite = AzuriteProcess.Start();
        var results = new Dictionary<string, object>();
        if (only is null or "checkpoint") results["checkpoint"] = await CheckpointShareAsync(azurite);
        if (only is null or "dispatch") results["dispatch"] = await DispatchAsync(azurite);
        if (only is null or "failover") results["failover"] = await FailoverAsync(azurite);
        if (only is null or "throughput") results["throughput"] = await ThroughputAsync();
        TorchBench.WriteResults("grains", results);
        return 0;
    }

    private static RunSpec CheetahSpec() => new()
    {
        Family = "HalfCheetah-Vel", Learner = Learners.MamlTrpo, Method = RobustMethods.Roml, Alpha = 0.05, Iterations = 1000, MetaBatch = 10,
        Rl = new Learning.Algorithms.Meta.RlLearnerOptions { EpisodesPerTask = 10 }, Cem = new Learning.Robust.Cem.CemSettings { BatchSize = 40, Alpha = 0.05 },
    };

    /// <summary>(a) One meta-iteration's time against one checkpoint commit's time (parts, manifest, state, metrics), local and Azurite.</summary>
    private static async Task<object> CheckpointShareAsync(AzuriteProcess azurite)
    {
        Console.WriteLine("(a) checkpoint cost, default interval " + new ExecutorOptions().CheckpointInterval.TotalSeconds + " s");
        var rows = new List<object>();
        foreach (var (name, spec) in new[] { ("sine MAML (RoML)", new RunSpec { Family = "Sine", Learner = Learners.Maml, Method = RobustMethods.Roml, Iterations = 1000 }), ("HalfCheetah-Vel MAML-TRPO (RoML)", CheetahSpec()) })
        {
            using var run = new MetaTrainingRun(spec);
            int warm = spec.Family == "Sine" ? 20 : 1, measure = spec.Family == "Sine" ? 100 : 3;
            for (int i = 0; i < warm; i++) run.Step();
            var watch = Stopwatch.StartNew();
            for (int i = 0; i < measure; i++) run.Step();
            double iteration = watch.Elapsed.TotalSeconds / measure;
            foreach (var (storeName, store) in new (string, IBlobStore)[] { ("local", LocalStore()), ("azurite", new AzureBlobStore(azurite.ConnectionString, "bench")) })
            {
                await store.EnsureCreatedAsync(CancellationToken.None);
                var checkpointer = new Checkpointer(store, "bench-run", "bench");
                var times = new List<double>();
                long bytes = 0;
                for (int k = 0; k < 5; k++)
                {
                    var w = Stopwatch.StartNew();
                    var state = run.SaveState().ToBytes();
                    bytes = state.Length;
                    await checkpointer.WriteAsync(run.Iteration + k, state, new(), CancellationToken.None);
                    await store.WriteAsync($"runs/bench-run/state.json", new RunState { Id = "bench-run", Iteration = run.Iteration + k }, WriteCondition.None, null, CancellationToken.None);
                    await store.AppendAsync("runs/bench-run/metrics", new byte[300], CancellationToken.None);
                    times.Add(w.Elapsed.TotalSeconds);
                }
                double checkpoint = Stats.Median(times);
                double interval = new ExecutorOptions().CheckpointInterval.TotalSeconds;
                // One checkpoint per interval (at the first iteration boundary after it).
                double share = checkpoint / (Math.Ceiling(interval / iteration) * iteration);
                Console.WriteLine($"    {name,-34} {storeName,-8} iteration {iteration * 1000,9:F1} ms  checkpoint {bytes / 1024.0,8:F0} KiB in {checkpoint * 1000,7:F1} ms  share {share,8:P3}  (goal ≤ 1%)");
                rows.Add(new { run = name, store = storeName, iterationMs = iteration * 1000, checkpointKiB = bytes / 1024.0, checkpointMs = checkpoint * 1000, share });
            }
        }
        return rows;
    }

    private static IBlobStore LocalStore() => new FileBlobStore(Path.Combine(Path.GetTempPath(), $"metarl-bench-{Guid.NewGuid():N}"), "bench");

    /// <summary>(c) Submit a 1000-run sweep (2 methods × 10 α × 50 seeds) to Azurite: validation, 1000 run states, 1000 dispatch markers, the sweep.</summary>
    private static async Task<object> DispatchAsync(AzuriteProcess azurite)
    {
        var store = new AzureBlobStore(azurite.ConnectionString, "dispatch");
        await store.EnsureCreatedAsync(CancellationToken.None);
        var spec = new SweepSpec
        {
            Name = "thousand", Family = "HalfCheetah-Mass", Learner = "maml-trpo", Methods = ["cvar-ml", "roml"],
            Alpha = [0.01, 0.02, 0.05, 0.1, 0.2, 0.3, 0.5, 0.7, 0.9, 1.0], Seeds = 50, Budget = new SweepBudget { Iterations = 500 },
            Run = JsonDocument.Parse("""{"metaBatch": 16, "cem": {"batchSize": 128}}""").RootElement,
        };
        var watch = Stopwatch.StartNew();
        var state = await new GrainFactory(store).Sweep("thousand").SubmitAsync(spec, CancellationToken.None);
        double seconds = watch.Elapsed.TotalSeconds;
        int markers = 0;
        await foreach (var _ in store.ListAsync(StoragePaths.RunnablePrefix(false), CancellationToken.None)) markers++;
        var listWatch = Stopwatch.StartNew();
        await foreach (var _ in store.ListAsync(StoragePaths.RunnablePrefix(false), CancellationToken.None)) { }
        Console.WriteLine($"(c) 1000-run sweep expanded and dispatched to Azurite in {seconds:F2} s ({state.Runs.Count} runs, {markers} runnable markers; a silo's claim listing of them takes {listWatch.Elapsed.TotalMilliseconds:F0} ms)  (goal ≤ 10 s)");
        return new { runs = state.Runs.Count, seconds, listMs = listWatch.Elapsed.TotalMilliseconds };
    }

    /// <summary>(b) A standby silo process takes over a killed one's run: seconds from the kill to its first committed iteration.</summary>
    private static async Task<object> FailoverAsync(AzuriteProcess azurite)
    {
        var store = new AzureBlobStore(azurite.ConnectionString, "failover");
        await store.EnsureCreatedAsync(CancellationToken.None);
        var spec = new SweepSpec
        {
            Name = "failover", Family = "Sine", Learner = "maml", Methods = ["baseline"], Seeds = 1, Budget = new SweepBudget { Iterations = 100000 },
            Evaluation = new SweepEvaluation { ValidateEvery = 0 },
        };
        var sweep = await new GrainFactory(store).Sweep("failover").SubmitAsync(spec, CancellationToken.None);
        var runId = sweep.Runs[0].RunId;
        var defaults = new ExecutorOptions();
        var settings = new Dictionary<string, string>
        {
            ["STORAGE"] = "azure", ["AZURE_CONNECTION_STRING"] = azurite.ConnectionString, ["CONTAINER"] = "failover",
            ["SILO__COREBUDGET"] = "1", ["SILO__EXECUTOR__CHECKPOINTEVERYITERATIONS"] = "1",
        };
        var cwd = Path.Combine(Path.GetTempPath(), $"metarl-failover-{Guid.NewGuid():N}");
        Directory.CreateDirectory(cwd);
        using var first = SiloProcess.Start("failover-a", cwd, settings);
        var owned = await WaitAsync(store, runId, s => s.Owner == "failover-a" && s.Iteration > 5, TimeSpan.FromMinutes(2), first);
        using var standby = SiloProcess.Start("failover-b", cwd, settings);
        await Task.Delay(TimeSpan.FromSeconds(5)); // the standby is up and polling
        var before = (await store.ReadAsync<RunState>(StoragePaths.Run(runId), CancellationToken.None))!.Value;
        var watch = Stopwatch.StartNew();
        first.Kill();
        var afterKill = (await store.ReadAsync<RunState>(StoragePaths.Run(runId), CancellationToken.None))!.Value;
        await WaitAsync(store, runId, s => s.Owner == "failover-b" && s.Iteration > afterKill.Iteration, TimeSpan.FromMinutes(2), standby);
        double seconds = watch.Elapsed.TotalSeconds;
        standby.Terminate();
        standby.WaitForExit(TimeSpan.FromSeconds(30));
        Console.WriteLine($"(b) failover: {seconds:F1} s from the kill to the standby's first committed iteration (lease {defaults.LeaseDuration.TotalSeconds} s, poll {new Grains.Hosting.SiloOptions().PollInterval.TotalSeconds} s)  (goal ≤ lease + 10 s = {defaults.LeaseDuration.TotalSeconds + 10} s)");
        return new { seconds, leaseSeconds = defaults.LeaseDuration.TotalSeconds, before = before.Iteration };
    }

    /// <summary>(d) Runs per hour: the same batch of short runs with one silo process, then with two (one core each).</summary>
    private static async Task<object> ThroughputAsync()
    {
        var rows = new List<object>();
        foreach (int silos in new[] { 1, 2 })
        {
            var data = Path.Combine(Path.GetTempPath(), $"metarl-throughput-{Guid.NewGuid():N}");
            var store = new FileBlobStore(data, "metarl");
            await store.EnsureCreatedAsync(CancellationToken.None);
            var spec = new SweepSpec
            {
                Name = "throughput", Family = "Sine", Learner = "maml", Methods = ["baseline", "roml"], Alpha = [0.1], Seeds = 4,
                Budget = new SweepBudget { Iterations = 60 }, Evaluation = new SweepEvaluation { TestTasks = 200, ValidationTasks = 16, ValidateEvery = 20 },
                Run = JsonDocument.Parse("""{"metaBatch": 20, "cem": {"batchSize": 100}}""").RootElement,
            };
            var sweep = await new GrainFactory(store).Sweep("throughput").SubmitAsync(spec, CancellationToken.None);
            var settings = new Dictionary<string, string> { ["DATA"] = data, ["SILO__COREBUDGET"] = "1", ["SILO__EXITWHENIDLE"] = "true", ["SILO__POLLINTERVAL"] = "00:00:00.5" };
            var watch = Stopwatch.StartNew();
            var processes = Enumerable.Range(0, silos).Select(i => SiloProcess.Start($"throughput-{silos}-{i}", data, settings)).ToList();
            foreach (var p in processes) p.WaitForExit(TimeSpan.FromMinutes(10));
            double seconds = watch.Elapsed.TotalSeconds;
            foreach (var p in processes) p.Dispose();
            var done = (await new GrainFactory(store).Sweep("throughput").GetAsync(CancellationToken.None))!.Results.Count;
            double perHour = done / seconds * 3600;
            Console.WriteLine($"(d) {silos} silo process(es), 1 core each: {done}/{sweep.Runs.Count} runs in {seconds:F1} s = {perHour:F0} runs/hour");
            rows.Add(new { silos, runs = done, seconds, runsPerHour = perHour });
        }
        return rows;
    }

    private static async Task<RunState> WaitAsync(IBlobStore store, string runId, Func<RunState, bool> condition, TimeSpan timeout, SiloProcess? silo = null)
    {
        RunState? last = null;
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            var s = (await store.ReadAsync<RunState>(StoragePaths.Run(runId), CancellationToken.None))?.Value;
            if (s is not null && condition(s)) return s;
            last = s;
            await Task.Delay(100);
        }
        string tail = silo is null ? "" : "\n" + string.Join("\n", silo.Output.TakeLast(30));
        throw new TimeoutException($"waiting for {runId} (last state: {last?.Status} owner {last?.Owner} iteration {last?.Iteration}){tail}");
    }
}
