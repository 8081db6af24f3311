using System.Diagnostics;
using MetaRl.Grains.Execution;
using MetaRl.Grains.Hosting;
using MetaRl.Grains.Interfaces.State;
using MetaRl.Learning.Algorithms.Meta;
using MetaRl.Learning.Algorithms.Mql;
using MetaRl.Learning.Common;
using MetaRl.Learning.Training;
using MetaRl.Storage;
using MetaRl.Testing;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Orleans.Serialization;
using Orleans.Storage;

namespace MetaRl.Bench;

/// <summary>
/// bench `grains --only replay`: what persisting MQL's replay costs at the default checkpoint
/// interval with a full 1e6-transition buffer (the authors' HalfCheetah-Vel settings: 100 training
/// tasks × 10,000 transitions, segments of 1,000), as a share of iteration time (goal ≤ 2%).
/// The run's buffers are filled with synthetic transitions (1e6 environment steps with TD3 updates
/// would take hours), then real iterations run and, once per checkpoint interval, the commit's work
/// is done as the grains do it: the sealed segments not stored yet each written as a blob with its
/// task's grain state (through the same grain storage provider), the checkpoint (open segments inline,
/// sealed ones listed) written as parts + manifest, the run's grain state written, metric lines appended.
/// </summary>
public static class ReplayBench
{
    public static async Task<object> RunAsync()
    {
        double interval = new TrainingOptions().CheckpointInterval.TotalSeconds;
        var spec = new RunSpec
        {
            Family = "HalfCheetah-Vel", Learner = Learners.Mql, Iterations = 1000, MetaBatch = 5,
            Mql = new MqlOptions { Threads = 1 },
        };
        var o = spec.Mql;
        using var run = new MetaTrainingRun(spec);
        var mql = (MqlLearner)run.Learner;
        Fill(run, mql, o);
        long transitions = mql.Replays.Sum(r => r?.Count ?? 0);
        Console.WriteLine($"(e) MQL replay persistence: {transitions:N0} transitions in {o.TrainingTasks} task buffers, segments of {o.SegmentSize}, default interval {interval} s");

        run.Step(); // warm-up
        var watch = Stopwatch.StartNew();
        const int measure = 3;
        for (int i = 0; i < measure; i++) run.Step();
        double iteration = watch.Elapsed.TotalSeconds / measure;
        int iterationsPerCheckpoint = (int)Math.Ceiling(interval / iteration);
        Console.WriteLine($"    iteration {iteration * 1000:F0} ms ({spec.MetaBatch} tasks × 200 steps, {spec.MetaBatch * 200} TD3 updates): a checkpoint every {iterationsPerCheckpoint} iteration(s)");

        using var azurite = AzuriteProcess.Start();
        var rows = new List<object>();
        var serializer = new SystemTextJsonGrainStorageSerializer(Options.Create(new SystemTextJsonGrainStorageSerializerOptions()));
        foreach (var (storeName, store, grainStore) in new (string, IBlobStore, IBlobStore)[]
                 {
                     ("local", Local("metarl"), Local("grainstate")),
                     ("azurite", new AzureBlobStore(azurite.ConnectionString, "bench"), new AzureBlobStore(azurite.ConnectionString, "grainstate")),
                 })
        {
            await store.EnsureCreatedAsync(CancellationToken.None);
            var grainStorage = new BlobGrainStorage(grainStore, serializer, new GrainBench.BenchActivators());
            var checkpointer = new Checkpointer(store, "bench-mql", "bench", NullLogger.Instance);
            var stored = mql.Pieces().Select(p => (p.Task, p.Number)).ToHashSet(); // stored before the measurement
            var taskStates = new Dictionary<int, GrainState<TaskState>>();
            var runState = new GrainState<RunState>(new RunState { Id = "bench-mql" });
            var runGrain = GrainId.Create("metapolicy", $"bench-mql-{Guid.NewGuid():N}");
            var times = new List<double>();
            var segmentCounts = new List<int>();
            long checkpointBytes = 0;
            for (int c = 0; c < 3; c++)
            {
                for (int i = 0; i < iterationsPerCheckpoint; i++) run.Step();
                var w = Stopwatch.StartNew();
                var missing = mql.Pieces().Where(p => !stored.Contains((p.Task, p.Number))).ToList();
                var bytes = run.SaveState(apart: true).ToBytes();
                checkpointBytes = bytes.Length;
                foreach (var piece in missing)
                {
                    var taskId = ReplayPieces.TaskId(piece.Task);
                    await store.WriteAsync(RunBlobs.ReplaySegment("bench-mql", taskId, piece.Number), mql.PieceBytes(piece), WriteCondition.None, CancellationToken.None);
                    if (!taskStates.TryGetValue(piece.Task, out var ts)) taskStates[piece.Task] = ts = new GrainState<TaskState>(new TaskState { RunId = "bench-mql", TaskId = taskId, Role = "train" });
                    ts.State = ts.State! with { ReplaySegments = ts.State.ReplaySegments + 1, ReplayTransitions = ts.State.ReplayTransitions + piece.Items, ReplayNextSegment = piece.Number + 1 };
                    await grainStorage.WriteStateAsync("task", GrainId.Create("task", $"bench-mql.{taskId}"), ts);
                    stored.Add((piece.Task, piece.Number));
                }
                var (reference, _) = await checkpointer.WriteAsync(run.Iteration, bytes, new(), CancellationToken.None);
                runState.State = runState.State! with { Iteration = run.Iteration, Checkpoints = [.. runState.State.Checkpoints.TakeLast(2), reference] };
                await grainStorage.WriteStateAsync("run", runGrain, runState);
                await store.AppendAsync("runs/bench-mql/metrics", new byte[300 * iterationsPerCheckpoint], CancellationToken.None);
                times.Add(w.Elapsed.TotalSeconds);
                segmentCounts.Add(missing.Count);
            }
            double commit = Stats.Median(times);
            double share = commit / (iterationsPerCheckpoint * iteration);
            Console.WriteLine($"    {storeName,-8} checkpoint {checkpointBytes / 1048576.0,6:F1} MiB + {segmentCounts.Average():F1} new segments ({segmentCounts.Average() * o.SegmentSize:N0} transitions) in {commit * 1000,7:F1} ms  share {share,7:P2}  (goal ≤ 2%)");
            rows.Add(new { store = storeName, iterationMs = iteration * 1000, iterationsPerCheckpoint, checkpointMiB = checkpointBytes / 1048576.0, newSegments = segmentCounts.Average(), commitMs = commit * 1000, share });
        }
        return new { transitions, iterationMs = iteration * 1000, rows };
    }

    /// <summary>Every training task's buffer at capacity: 10 sealed segments and a half-filled open one, synthetic transitions.</summary>
    private static void Fill(MetaTrainingRun run, MqlLearner mql, MqlOptions o)
    {
        var state = run.SaveState();
        var filled = new TensorArchive();
        foreach (var e in state.Entries.Where(e => e.Name != "learner.total_steps")) filled.Add(e);
        var rng = new RandomStream(12345);
        int obs = mql.Td3.ObservationSize, act = mql.Td3.ActionSize;
        int sealedSegments = o.MaxSegments - 1;
        var ob = new float[obs];
        var a = new float[act];
        var next = new float[obs];
        for (int t = 0; t < o.TrainingTasks; t++)
        {
            for (int s = 0; s <= sealedSegments; s++)
            {
                var segment = new ReplaySegment(s, o.SegmentSize, obs, act);
                int n = s < sealedSegments ? o.SegmentSize : o.SegmentSize / 2;
                for (int k = 0; k < n; k++)
                {
                    for (int j = 0; j < obs; j++) { ob[j] = (float)rng.NextGaussian(); next[j] = (float)rng.NextGaussian(); }
                    for (int j = 0; j < act; j++) a[j] = (float)rng.NextUniform(-1, 1);
                    segment.Add(ob, a, (float)rng.NextGaussian(), next, false, (s * o.SegmentSize + k) % 200);
                }
                filled.AddBytes($"learner.{MqlLearner.ReplayEntry(t, s)}", segment.ToBytes());
            }
        }
        filled.AddInt64("learner.total_steps", (long)o.TrainingTasks * (sealedSegments * o.SegmentSize + o.SegmentSize / 2));
        run.LoadState(filled);
    }

    private static IBlobStore Local(string container) => new FileBlobStore(Path.Combine(Path.GetTempPath(), $"metarl-bench-{Guid.NewGuid():N}"), container);
}
