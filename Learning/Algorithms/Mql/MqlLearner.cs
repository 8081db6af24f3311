using MetaRl.Learning.Algorithms.Meta;
using MetaRl.Learning.Common;
using MetaRl.Learning.Environments;
using MetaRl.Learning.Nets;
using static TorchSharp.torch;

namespace MetaRl.Learning.Algorithms.Mql;

/// <summary>
/// Meta-Q-Learning (Fakoor et al. 2020). Meta-training is multi-task TD3 with a context over a fixed
/// set of training tasks, each with its own replay buffer: every iteration collects episodes on the
/// meta-batch's tasks (random actions during burn-in, then the actor with exploration noise) and
/// takes TD3 updates on minibatches drawn from those tasks' buffers in proportion to their weights —
/// which is how CVaR-ML (weights from the tail filter) and RoML (a meta-batch drawn from its CEM)
/// wrap it. A meta-batch task maps to the nearest training task in latent space, so RoML's
/// over-sampling picks training tasks by the CEM's mass around them. A task's score is its episode
/// return. Evaluation gives each test task's return without adaptation (the context alone) and after
/// MQL's propensity-weighted adaptation (<see cref="MqlAdaptation"/>).
/// </summary>
public sealed class MqlLearner : IMetaLearner, IStatePieces
{
    private readonly ulong _seed;
    private readonly TaskReplay?[] _replays;
    private readonly Generator _explore;
    private RandomStream _sampling;
    private readonly List<AdaptationDiagnostics> _lastAdaptations = new();

    public MqlLearner(IRlTaskFamily family, MqlOptions options, ulong seed)
    {
        if (family.ActionSpace is not BoxSpace box) throw new ArgumentException($"MQL needs a continuous action space; {family.Name} has discrete actions", nameof(family));
        Family = family;
        RlFamily = family;
        Options = options;
        _seed = seed;
        TrainingTasks = family.FixedTaskSet(options.TrainingTasks, options.TrainingTaskSeed, options.TrainingLatentRange);
        _replays = new TaskReplay?[TrainingTasks.Count];
        TorchRuntime.Initialize();
        var init = new Generator(RandomStream.FromKeys(seed, 1).NextUInt64());
        Td3 = new Td3Context(family.ObservationSpace.Size, box.Size, box.High.Max(), options, init, RandomStream.FromKeys(seed, 2).NextUInt64());
        _explore = new Generator(RandomStream.FromKeys(seed, 3).NextUInt64());
        _sampling = RandomStream.FromKeys(seed, 4);
        Rollout = new ContextRollout(family, options.History, options.Threads);
    }

    public string Name => "mql";
    public ITaskFamily Family { get; }
    public IRlTaskFamily RlFamily { get; }
    public MqlOptions Options { get; }
    public IReadOnlyList<MetaTask> TrainingTasks { get; }
    public Td3Context Td3 { get; }
    private ContextRollout Rollout { get; }

    /// <summary>Environment steps collected in meta-training so far.</summary>
    public long TotalSteps { get; private set; }

    /// <summary>Each training task's replay (null until the task was first sampled).</summary>
    public IReadOnlyList<TaskReplay?> Replays => _replays;

    /// <summary>What the last evaluation's adaptations found, per task.</summary>
    public IReadOnlyList<AdaptationDiagnostics> LastAdaptations => _lastAdaptations;

    /// <summary>The training task nearest to <paramref name="task"/> in latent space (ties: the lower index).</summary>
    public int TrainingTaskFor(MetaTask task)
    {
        int best = 0;
        double bestDistance = double.PositiveInfinity;
        for (int i = 0; i < TrainingTasks.Count; i++)
        {
            double d = 0;
            var z = TrainingTasks[i].Latent;
            for (int k = 0; k < z.Length; k++) d += (z[k] - task.Latent[k]) * (z[k] - task.Latent[k]);
            if (d < bestDistance)
            {
                bestDistance = d;
                best = i;
            }
        }
        return best;
    }

    private TaskReplay ReplayOf(int trainingTask) =>
        _replays[trainingTask] ??= new TaskReplay(Td3.ObservationSize, Td3.ActionSize, Options.SegmentSize, Options.MaxSegments);

    public IterationReport Iterate(TaskBatch batch, ITaskFilter filter, int iteration)
    {
        var indices = batch.Tasks.Select(TrainingTaskFor).ToArray();
        var tasks = indices.Select(i => TrainingTasks[i]).ToList();
        var sinks = indices.Select(i => (TaskReplay?)ReplayOf(i)).ToList();
        var mode = TotalSteps < Options.BurnInSteps ? RolloutMode.Random : RolloutMode.Explore;
        var returns = new double[tasks.Count];
        long steps = 0;
        int bad = 0;
        for (int e = 0; e < Options.EpisodesPerTask; e++)
        {
            var r = Rollout.Run(tasks, [Td3.Actor], mode, Options.ExplorationNoise, _explore, sinks, RandomStream.FromKeys(_seed, 5, (ulong)iteration, (ulong)e).NextUInt64());
            for (int i = 0; i < returns.Length; i++) returns[i] += r.Returns[i] / Options.EpisodesPerTask;
            steps += r.Steps;
            bad += r.BadPhysicsEpisodes;
        }
        TotalSteps += steps;
        var weights = TaskWeights.Combine(batch.Weights, filter.Weights(returns));

        int updates = (int)Math.Round(Options.UpdatesPerStep * steps);
        double criticLoss = 0, actorLoss = 0, meanQ = 0;
        int actorUpdates = 0, done = 0;
        if (_replays.Sum(r => r?.Count ?? 0) >= Options.BatchSize)
        {
            for (int u = 0; u < updates; u++)
            {
                using var scope = NewDisposeScope();
                var step = Td3.Update(ReplayBatch.Build(Picks(indices, weights, Options.BatchSize, _sampling), Options.History));
                criticLoss += step.CriticLoss;
                meanQ += step.MeanQ;
                if (step.ActorUpdated)
                {
                    actorLoss += step.ActorLoss;
                    actorUpdates++;
                }
                done++;
            }
        }
        return new IterationReport(returns, returns, weights, steps, new Dictionary<string, double>
        {
            ["td3_updates"] = done,
            ["critic_loss"] = done > 0 ? criticLoss / done : double.NaN,
            ["actor_loss"] = actorUpdates > 0 ? actorLoss / actorUpdates : double.NaN,
            ["mean_q"] = done > 0 ? meanQ / done : double.NaN,
            ["burn_in"] = mode == RolloutMode.Random ? 1 : 0,
            ["replay_transitions"] = _replays.Sum(r => r?.Count ?? 0),
            ["bad_physics_episodes"] = bad,
        });
    }

    /// <summary>
    /// A minibatch's transitions: each from one of the meta-batch's training tasks, chosen in
    /// proportion to its weight (uniform when all weights are equal), then uniformly within its buffer.
    /// </summary>
    private List<(TaskReplay, long)> Picks(int[] indices, double[] weights, int count, RandomStream rng)
    {
        var candidates = indices.Select((t, i) => (Replay: _replays[t]!, Weight: weights[i])).Where(c => c.Replay.Count > 0 && c.Weight > 0).ToList();
        if (candidates.Count == 0) candidates = _replays.Where(r => r is { Count: > 0 }).Select(r => (Replay: r!, Weight: 1.0)).ToList();
        double total = candidates.Sum(c => c.Weight);
        var picks = new List<(TaskReplay, long)>(count);
        for (int k = 0; k < count; k++)
        {
            double u = rng.NextDouble() * total;
            int c = 0;
            while (c < candidates.Count - 1 && (u -= candidates[c].Weight) > 0) c++;
            var replay = candidates[c].Replay;
            picks.Add((replay, replay.First + (long)(rng.NextDouble() * replay.Count)));
        }
        return picks;
    }

    public EvaluationScores Evaluate(IReadOnlyList<MetaTask> tasks, ulong seed, IProgress<int>? progress = null)
    {
        var pre = new double[tasks.Count];
        var post = new double[tasks.Count];
        _lastAdaptations.Clear();
        var replays = _replays.Where(r => r is not null).Select(r => r!).ToList();
        for (int i = 0; i < tasks.Count; i++)
        {
            var (adapted, diagnostics) = MqlAdaptation.Adapt(Td3, RlFamily, tasks[i], replays, Options, RandomStream.FromKeys(seed, 7, (ulong)i).NextUInt64());
            adapted.Dispose();
            pre[i] = diagnostics.PreReturn;
            post[i] = diagnostics.PostReturn;
            _lastAdaptations.Add(diagnostics);
            progress?.Report(i + 1);
        }
        return new EvaluationScores(pre, post);
    }

    public byte[] SaveParameters()
    {
        var archive = new TensorArchive();
        Td3.Save(archive, "");
        return archive.ToBytes();
    }

    public void LoadParameters(byte[] parameters) => Td3.Load(TensorArchive.FromBytes(parameters), "");

    /// <summary>Networks, optimisers, random streams, counters and every replay segment ("replay.{task}.{segment}").</summary>
    public TensorArchive SaveState()
    {
        var archive = new TensorArchive();
        Td3.Save(archive, "td3.");
        archive.AddBytes("explore", Checked.GetState(_explore));
        archive.AddBytes("sampling", _sampling.GetState());
        archive.AddInt64("total_steps", TotalSteps);
        for (int t = 0; t < _replays.Length; t++)
            foreach (var s in _replays[t]?.Segments ?? [])
                archive.AddBytes(ReplayEntry(t, s.Number), s.ToBytes());
        return archive;
    }

    public static string ReplayEntry(int task, long segment) => $"replay.{task}.{segment}";

    public IReadOnlyList<MetaTask> PieceOwners => TrainingTasks;

    /// <summary>The sealed replay segments held now.</summary>
    public IReadOnlyList<StatePiece> Pieces()
    {
        var pieces = new List<StatePiece>();
        for (int t = 0; t < _replays.Length; t++)
            foreach (var s in _replays[t]?.SealedFrom(0) ?? [])
                pieces.Add(new StatePiece(t, s.Number, s.Count, s.Sha256));
        return pieces;
    }

    public byte[] PieceBytes(StatePiece piece) =>
        (_replays[piece.Task]?.Segments.FirstOrDefault(s => s.Number == piece.Number && s.Full)
            ?? throw new ArgumentException($"task {piece.Task} holds no sealed segment {piece.Number}", nameof(piece))).ToBytes();

    /// <summary>Like <see cref="SaveState"/>, with only the open segments inline and the sealed ones listed as pieces.</summary>
    public TensorArchive SaveStateApart()
    {
        var archive = new TensorArchive();
        foreach (var e in SaveState().Entries)
        {
            if (!e.Name.StartsWith("replay.", StringComparison.Ordinal)) archive.Add(e);
            else if (!ReplaySegment.FromBytes(e.Data).Full) archive.Add(e);
        }
        StatePieces.Write(archive, Pieces());
        return archive;
    }

    public void LoadStateApart(TensorArchive state, Func<StatePiece, byte[]> fetch)
    {
        var full = new TensorArchive();
        foreach (var e in state.Entries.Where(e => e.Name != StatePieces.Entry)) full.Add(e);
        foreach (var piece in StatePieces.PiecesIn(state))
        {
            var bytes = fetch(piece);
            if (piece.Sha256 is { } expected && Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(bytes)).ToLowerInvariant() != expected)
                throw new InvalidDataException($"replay piece {piece.Task}/{piece.Number} does not hash to what the state recorded (sha256 {expected})");
            var segment = ReplaySegment.FromBytes(bytes);
            if (segment.Number != piece.Number || segment.Count != piece.Items || !segment.Full)
                throw new InvalidDataException($"replay piece {piece.Task}/{piece.Number} is not the sealed segment the state lists");
            full.AddBytes(ReplayEntry(piece.Task, piece.Number), bytes);
        }
        LoadState(full);
    }

    public void LoadState(TensorArchive state)
    {
        var segments = new List<ReplaySegment>[_replays.Length];
        foreach (var name in state.Names.Where(n => n.StartsWith("replay.", StringComparison.Ordinal)))
        {
            var parts = name.Split('.');
            if (parts.Length != 3 || !int.TryParse(parts[1], out int t) || t < 0 || t >= _replays.Length)
                throw new InvalidDataException($"'{name}' is not a replay segment of this run's {_replays.Length} training tasks");
            (segments[t] ??= new()).Add(ReplaySegment.FromBytes(state.GetBytes(name)));
        }
        var restored = new TaskReplay?[_replays.Length];
        for (int t = 0; t < _replays.Length; t++)
        {
            if (segments[t] is null) continue;
            restored[t] = new TaskReplay(Td3.ObservationSize, Td3.ActionSize, Options.SegmentSize, Options.MaxSegments);
            restored[t]!.Restore(segments[t].OrderBy(s => s.Number).ToList());
        }
        Td3.Load(state, "td3.");
        Checked.SetState(_explore, state.GetBytes("explore"));
        _sampling = RandomStream.FromState(state.GetBytes("sampling"));
        TotalSteps = state.GetInt64("total_steps");
        Array.Copy(restored, _replays, _replays.Length);
    }

    public void Dispose()
    {
        Td3.Dispose();
        _explore.Dispose();
    }
}
