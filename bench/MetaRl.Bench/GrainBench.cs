using System.Diagnostics;
using System.Text.Json;
using MetaRl.Grains;
using MetaRl.Grains.Execution;
using MetaRl.Grains.Hosting;
using MetaRl.Grains.Interfaces;
using MetaRl.Grains.Interfaces.Specs;
using MetaRl.Grains.Interfaces.State;
using MetaRl.Learning.Training;
using MetaRl.Storage;
using MetaRl.Testing;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Orleans.Serialization;
using Orleans.Storage;

namespace MetaRl.Bench;

/// <summary>
/// bench `grains`: the orchestration costs on the Orleans runtime, each against its goal (nothing
/// else does this job, so the goal is the reference), with real metarl-silo processes on Azurite:
/// (a) checkpoint cost as a share of iteration time at the default interval (≤ 1%),
/// (b) SIGKILL of the silo training a run → that run's next committed iteration on another silo (≤ 15 s),
/// (c) a 1000-run sweep submitted → every run activated (training or waiting for room) (≤ 5 s),
/// (d) runs per hour with 2 silo processes against 1 on this machine (≥ 1.8×),
/// (e) MQL's replay persistence with a 1e6-transition buffer as a share of iteration time (≤ 2%, <see cref="ReplayBench"/>).
/// </summary>
public static class GrainBench
{
    public static async Task<int> RunAsync(string[] args)
    {
        BenchArgs a;
        try
        {
            a = new BenchArgs(args, "only", "trials");
        }
        catch (ArgumentException e)
        {
            Console.Error.WriteLine(e.Message);
            return 2;
        }
        var only = a.String("only");
        if (only is not (null or "checkpoint" or "failover" or "dispatch" or "throughput" or "replay"))
        {
            Console.Error.WriteLine($"--only '{only}' is not known; allowed: checkpoint, failover, dispatch, throughput, replay");
            return 2;
        }
        int trials = a.Int("trials", 3);
        var results = new Dictionary<string, object>();
        if (only is null or "checkpoint") results["checkpoint"] = await CheckpointShareAsync();
        if (only is null or "failover")
        {
            results["failover"] = await FailoverAsync(trials);
            results["failover_default_interval"] = await FailoverAtDefaultIntervalAsync(trials);
        }
        if (only is null or "dispatch") results["dispatch"] = await DispatchAsync();
        if (only is null or "throughput") results["throughput"] = await ThroughputAsync();
        if (only is null or "replay") results["replay"] = await ReplayBench.RunAsync();
        TorchBench.WriteResults("grains", results);
        return 0;
    }

    private static RunSpec CheetahSpec() => new()
    {
        Family = "HalfCheetah-Vel", Learner = Learners.MamlTrpo, Method = RobustMethods.Roml, Alpha = 0.05, Iterations = 1000, MetaBatch = 10,
        Rl = new Learning.Algorithms.Meta.RlLearnerOptions { EpisodesPerTask = 10 }, Cem = new Learning.Robust.Cem.CemSettings { BatchSize = 40, Alpha = 0.05 },
    };

    /// <summary>
    /// (a) One meta-iteration's time against one checkpoint commit's — the state serialised, its parts
    /// and manifest written, the run's grain state written through the grain storage provider with its
    /// ETag check, the metric lines appended — on the local folder and on Azurite.
    /// </summary>
    private static async Task<object> CheckpointShareAsync()
    {
        double interval = new TrainingOptions().CheckpointInterval.TotalSeconds;
        Console.WriteLine($"(a) checkpoint cost, default interval {interval} s");
        using var azurite = AzuriteProcess.Start();
        var rows = new List<object>();
        var serializer = new SystemTextJsonGrainStorageSerializer(Options.Create(new SystemTextJsonGrainStorageSerializerOptions()));
        foreach (var (name, spec) in new[] { ("sine MAML (RoML)", new RunSpec { Family = "Sine", Learner = Learners.Maml, Method = RobustMethods.Roml, Iterations = 1000 }), ("HalfCheetah-Vel MAML-TRPO (RoML)", CheetahSpec()) })
        {
            using var run = new MetaTrainingRun(spec);
            int warm = spec.Family == "Sine" ? 20 : 1, measure = spec.Family == "Sine" ? 100 : 3;
            for (int i = 0; i < warm; i++) run.Step();
            var watch = Stopwatch.StartNew();
            for (int i = 0; i < measure; i++) run.Step();
            double iteration = watch.Elapsed.TotalSeconds / measure;
            foreach (var (storeName, store, grainStore) in new (string, IBlobStore, IBlobStore)[]
                     {
                         ("local", LocalStore("metarl"), LocalStore("grainstate")),
                         ("azurite", new AzureBlobStore(azurite.ConnectionString, "bench"), new AzureBlobStore(azurite.ConnectionString, "grainstate")),
                     })
            {
                await store.EnsureCreatedAsync(CancellationToken.None);
                var checkpointer = new Checkpointer(store, "bench-run", "bench", NullLogger.Instance);
                var grainStorage = new BlobGrainStorage(grainStore, serializer, new BenchActivators());
                var runState = new RunState { Id = "bench-run" };
                var grainState = new GrainState<RunState>(runState);
                var grainId = GrainId.Create("metapolicy", $"bench-{Guid.NewGuid():N}");
                var times = new List<double>();
                long bytes = 0;
                for (int k = 0; k < 5; k++)
                {
                    var w = Stopwatch.StartNew();
                    var state = run.SaveState().ToBytes();
                    bytes = state.Length;
                    var (reference, _) = await checkpointer.WriteAsync(run.Iteration + k, state, new(), CancellationToken.None);
                    runState = runState with { Iteration = run.Iteration + k, Checkpoints = [.. runState.Checkpoints.TakeLast(2), reference] };
                    grainState.State = runState;
                    await grainStorage.WriteStateAsync("run", grainId, grainState);
                    await store.AppendAsync("runs/bench-run/metrics", new byte[300], CancellationToken.None);
                    times.Add(w.Elapsed.TotalSeconds);
                }
                double checkpoint = Stats.Median(times);
                // One checkpoint per interval (at the first iteration boundary after it).
                double share = checkpoint / (Math.Ceiling(interval / iteration) * iteration);
                Console.WriteLine($"    {name,-34} {storeName,-8} iteration {iteration * 1000,9:F1} ms  checkpoint {bytes / 1024.0,8:F0} KiB in {checkpoint * 1000,7:F1} ms  share {share,8:P3}  (goal ≤ 1%)");
                rows.Add(new { run = name, store = storeName, iterationMs = iteration * 1000, checkpointKiB = bytes / 1024.0, checkpointMs = checkpoint * 1000, share });
            }
        }
        return rows;
    }

    private static IBlobStore LocalStore(string container) => new FileBlobStore(Path.Combine(Path.GetTempPath(), $"metarl-bench-{Guid.NewGuid():N}"), container);

    internal sealed class BenchActivators : Orleans.Serialization.Serializers.IActivatorProvider
    {
        public Orleans.Serialization.Activators.IActivator<T> GetActivator<T>() => new Activator<T>();

        private sealed class Activator<T> : Orleans.Serialization.Activators.IActivator<T>
        {
            public T Create() => System.Activator.CreateInstance<T>();
        }
    }

    private static SweepSpec Sine(string name, int iterations, int seeds, string[] methods, int testTasks = 20) => new()
    {
        Name = name, Family = "Sine", Learner = "maml", Methods = methods, Alpha = [0.1], Seeds = seeds,
        Budget = new SweepBudget { Iterations = iterations },
        Evaluation = new SweepEvaluation { TestTasks = testTasks, ValidationTasks = 16, ValidateEvery = 20 },
        Run = JsonDocument.Parse("""{"metaBatch": 20, "cem": {"batchSize": 100}}""").RootElement,
    };

    /// <summary>
    /// (b) Two silo processes, one run training on one of them with a checkpoint every iteration;
    /// SIGKILL that silo; seconds until the run's next committed iteration on the survivor. Then a
    /// replacement silo joins and it is done again.
    /// </summary>
    private static async Task<object> FailoverAsync(int trials)
    {
        await using var cluster = new SiloCluster("bench-failover");
        cluster.StartSilo("failover-0", checkpointEveryIterations: 1);
        cluster.StartSilo("failover-1", checkpointEveryIterations: 1);
        await cluster.ConnectAsync(silos: 2);
        var result = await cluster.Grains.GetGrain<ISweepGrain>("failover").SubmitAsync(Sine("failover", 1_000_000, 1, ["baseline"]) with { Evaluation = new SweepEvaluation { ValidateEvery = 0 } });
        var runId = result.Sweep!.Runs[0].RunId;
        var seconds = new List<double>();
        for (int trial = 0; trial < trials; trial++)
        {
            var before = await WaitAsync(cluster, runId, v => v.State.Status == RunStatus.Running && v.State.Iteration > 5 && cluster.Silos.Any(s => s.SiloName == v.State.Silo && !s.HasExited), TimeSpan.FromMinutes(2));
            await Task.Delay(TimeSpan.FromSeconds(3)); // a steady cluster
            before = (await SiloCluster.TryAsync(() => cluster.Grains.GetGrain<IMetaPolicyGrain>(runId).GetAsync()))!;
            var victim = cluster.Silos.Single(s => s.SiloName == before.State.Silo && !s.HasExited);
            var watch = Stopwatch.StartNew();
            victim.Kill();
            var after = await WaitAsync(cluster, runId, v => v.State.Silo != victim.SiloName && v.State.Iteration > before.State.Iteration, TimeSpan.FromMinutes(3));
            seconds.Add(watch.Elapsed.TotalSeconds);
            Console.WriteLine($"(b) failover {trial + 1}: {watch.Elapsed.TotalSeconds:F1} s from SIGKILL of {victim.SiloName} to iteration {after.State.Iteration} committed on {after.State.Silo}  (goal ≤ 15 s)");
            cluster.StartSilo($"failover-{trial + 2}", checkpointEveryIterations: 1);
        }
        Console.WriteLine($"(b) failover: median {Stats.Median(seconds):F1} s over {seconds.Count} kills (membership: probe timeout {new SiloHostingOptions().ProbeTimeout.TotalSeconds} s, {new SiloHostingOptions().MissedProbesLimit} missed probes)");
        return new { seconds, median = Stats.Median(seconds) };
    }

    /// <summary>
    /// (b') Failover as a user meets it: three silo processes with the default checkpoint interval (by
    /// time, <see cref="TrainingOptions.CheckpointInterval"/>), six runs (two per silo); SIGKILL the silo of
    /// one of them, a replacement silo joins at once. Measured per kill: seconds from SIGKILL until the
    /// displaced runs train again (in memory, past their restored checkpoint), and until their next
    /// committed iteration; and how many runs on the surviving silos were deactivated (should be none).
    /// </summary>
    private static async Task<object> FailoverAtDefaultIntervalAsync(int trials)
    {
        var interval = new TrainingOptions().CheckpointInterval;
        await using var cluster = new SiloCluster("bench-failover-default");
        for (int i = 0; i < 3; i++) cluster.StartSilo($"default-{i}", coreBudget: 2, checkpointEveryIterations: 0);
        await cluster.ConnectAsync(silos: 3);
        var result = await cluster.Grains.GetGrain<ISweepGrain>("failover-default").SubmitAsync(
            Sine("failover-default", 10_000_000, 2, ["baseline", "cvar-ml", "roml"]) with { Evaluation = new SweepEvaluation { ValidateEvery = 0 } });
        var runs = result.Sweep!.Runs.Select(r => r.RunId).ToList();
        var training = new List<double>();
        var committed = new List<double>();
        int touched = 0;
        int started = 3;
        for (int trial = 0; trial < trials; trial++)
        {
            // Every run with a committed checkpoint, then a random moment within a checkpoint interval.
            var views = new Dictionary<string, RunView>();
            foreach (var run in runs) views[run] = await WaitAsync(cluster, run, v => v.State.Status == RunStatus.Running && v.State.Iteration > 0 && v.Live.Activity == "training", TimeSpan.FromMinutes(3));
            await Task.Delay(TimeSpan.FromSeconds(Random.Shared.NextDouble() * interval.TotalSeconds));
            foreach (var run in runs) views[run] = (await SiloCluster.TryAsync(() => cluster.Grains.GetGrain<IMetaPolicyGrain>(run).GetAsync()))!;
            var victim = cluster.Silos.First(s => !s.HasExited && runs.Any(r => views[r].Live.Silo == s.SiloName));
            var displaced = runs.Where(r => views[r].Live.Silo == victim.SiloName).ToList();
            var watch = Stopwatch.StartNew();
            victim.Kill();
            cluster.StartSilo($"default-{started++}", coreBudget: 2, checkpointEveryIterations: 0);
            double again = 0, commit = 0;
            foreach (var run in displaced)
            {
                int restored = views[run].State.Iteration;
                await WaitAsync(cluster, run, v => v.Live.Silo != victim.SiloName && v.Live.Activity == "training" && v.Live.Iteration > restored, TimeSpan.FromMinutes(3));
                again = Math.Max(again, watch.Elapsed.TotalSeconds);
            }
            foreach (var run in displaced)
            {
                await WaitAsync(cluster, run, v => v.State.Silo != victim.SiloName && v.State.Iteration > views[run].State.Iteration, TimeSpan.FromMinutes(3));
                commit = Math.Max(commit, watch.Elapsed.TotalSeconds);
            }
            int moved = 0;
            foreach (var run in runs.Except(displaced))
                if ((await cluster.Grains.GetGrain<IMetaPolicyGrain>(run).GetAsync())!.State.Activations != views[run].State.Activations) moved++;
            touched += moved;
            training.Add(again);
            committed.Add(commit);
            Console.WriteLine($"(b') failover {trial + 1} at the default interval ({interval.TotalSeconds:F0} s): {displaced.Count} runs of {victim.SiloName} training again after {again:F1} s, committed after {commit:F1} s; runs on the surviving silos deactivated: {moved}");
        }
        Console.WriteLine($"(b') failover at the default interval: median {Stats.Median(training):F1} s to training again, {Stats.Median(committed):F1} s to the next commit; {touched} surviving runs deactivated over {trials} kills");
        return new { interval = interval.TotalSeconds, training_again = training, next_commit = committed, surviving_runs_deactivated = touched };
    }

    /// <summary>(c) A 1000-run sweep (2 methods × 10 α × 50 seeds) submitted to two silo processes on Azurite: seconds until every run is activated, training or waiting for room.</summary>
    private static async Task<object> DispatchAsync()
    {
        await using var cluster = new SiloCluster("bench-dispatch");
        cluster.StartSilo("dispatch-0");
        cluster.StartSilo("dispatch-1");
        await cluster.ConnectAsync(silos: 2);
        var spec = new SweepSpec
        {
            Name = "thousand", Family = "HalfCheetah-Mass", Learner = "maml-trpo", Methods = ["cvar-ml", "roml"],
            Alpha = [0.01, 0.02, 0.05, 0.1, 0.2, 0.3, 0.5, 0.7, 0.9, 1.0], Seeds = 50, Budget = new SweepBudget { Iterations = 500 },
            Run = JsonDocument.Parse("""{"metaBatch": 16, "cem": {"batchSize": 128}}""").RootElement,
        };
        var watch = Stopwatch.StartNew();
        var result = await cluster.Grains.GetGrain<ISweepGrain>("thousand").SubmitAsync(spec);
        double submitted = watch.Elapsed.TotalSeconds;
        var views = await cluster.SiloViewsAsync();
        int activated = views.Sum(v => v.Training.Count + v.Waiting.Count);
        Console.WriteLine($"(c) 1000-run sweep on Azurite: {result.Sweep!.Runs.Count} runs created and activated in {submitted:F2} s; the silos hold {activated} ({string.Join(", ", views.Select(v => $"{v.Name}: {v.Training.Count} training, {v.Waiting.Count} waiting"))})  (goal ≤ 5 s)");
        return new { runs = result.Sweep.Runs.Count, seconds = submitted, activated };
    }

    /// <summary>(d) Runs per hour: the same sweep of 8 runs (≈ 15 s each) with one silo process, then with two (one core each), on Azurite.</summary>
    private static async Task<object> ThroughputAsync()
    {
        var rows = new List<(int Silos, double PerHour)>();
        foreach (int silos in new[] { 1, 2 })
        {
            await using var cluster = new SiloCluster($"bench-throughput-{silos}");
            // Production checkpointing (every 30 s), not the tests' every-few-iterations.
            for (int i = 0; i < silos; i++) cluster.StartSilo($"throughput-{silos}-{i}", checkpointEveryIterations: 0);
            await cluster.ConnectAsync(silos);
            var spec = Sine("throughput", 600, 4, ["baseline", "roml"], testTasks: 200);
            var watch = Stopwatch.StartNew();
            await cluster.Grains.GetGrain<ISweepGrain>("throughput").SubmitAsync(spec);
            var done = await cluster.WaitForSweepAsync("throughput", TimeSpan.FromMinutes(20));
            double seconds = watch.Elapsed.TotalSeconds;
            double perHour = done.Completed / seconds * 3600;
            Console.WriteLine($"(d) {silos} silo process(es), 1 core each: {done.Completed}/{done.Runs.Count} runs in {seconds:F1} s = {perHour:F0} runs/hour");
            rows.Add((silos, perHour));
        }
        double ratio = rows[1].PerHour / rows[0].PerHour;
        Console.WriteLine($"(d) runs/hour, 2 silo processes against 1: {ratio:F2}×  (goal ≥ 1.8×)");

        // Reference: what the machine itself gives — the same runs in this process, without Orleans, storage or checkpoints, on one thread and then on two.
        var runs = SweepExpansion.Expand(Sine("throughput", 200 * 3, 4, ["baseline", "roml"], testTasks: 200));
        double Time(int threads)
        {
            var watch = Stopwatch.StartNew();
            Parallel.ForEach(runs, new ParallelOptions { MaxDegreeOfParallelism = threads }, r =>
            {
                using var run = new MetaTrainingRun(SweepExpansion.ForCores(r.Spec, 1));
                while (!run.Done) run.Step();
                run.Finish();
            });
            return watch.Elapsed.TotalSeconds;
        }
        double one = Time(1), two = Time(2);
        Console.WriteLine($"(d) reference, the same runs on plain threads in one process: {one:F1} s on one, {two:F1} s on two = {one / two:F2}×; the silos reach {ratio / (one / two):P0} of it");
        return new { runsPerHour = rows.Select(r => new { silos = r.Silos, perHour = r.PerHour }), ratio, reference = one / two };
    }

    private static async Task<RunView> WaitAsync(SiloCluster cluster, string runId, Func<RunView, bool> condition, TimeSpan timeout)
    {
        RunView? last = null;
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            var view = await SiloCluster.TryAsync(() => cluster.Grains.GetGrain<IMetaPolicyGrain>(runId).GetAsync());
            if (view is not null && condition(view)) return view;
            last = view ?? last;
            await Task.Delay(50);
        }
        throw new TimeoutException($"waiting for {runId} (last: {last?.State.Status} on {last?.State.Silo} at {last?.State.Iteration})\n{string.Join("\n---\n", cluster.Silos.Select(s => $"{s.SiloName}:\n{s.Tail(20)}"))}");
    }
}
