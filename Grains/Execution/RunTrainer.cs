using System.Diagnostics;
using System.Text;
using System.Text.Json;
using MetaRl.Grains.Capacity;
using MetaRl.Grains.Hosting;
using MetaRl.Grains.Interfaces;
using MetaRl.Grains.Interfaces.State;
using MetaRl.Grains.Telemetry;
using MetaRl.Learning.Algorithms.Meta;
using MetaRl.Learning.Algorithms.Mql;
using MetaRl.Learning.Environments;
using MetaRl.Learning.Robust;
using MetaRl.Learning.Common;
using MetaRl.Learning.Training;
using MetaRl.Storage;
using Microsoft.Extensions.Logging;
using Orleans.Storage;

namespace MetaRl.Grains.Execution;

/// <summary>
/// Trains one run inside its grain activation. <see cref="RunAsync"/> is started from grain code and
/// runs on the grain's scheduler, but every piece of learning runs on the run's own
/// <see cref="TrainingThread"/>, so the grain answers queries while an iteration computes. It waits
/// for room on the silo, restores the newest intact checkpoint, trains iteration by iteration, and
/// commits a checkpoint every K iterations or T seconds: parts → manifest → the grain state pointing
/// at them (ETag-checked) → the metric lines and CEM records. Lines are appended only after the state
/// that covers them is durable, so every iteration is recorded exactly once whatever fails when.
/// </summary>
public sealed class RunTrainer
{
    private readonly IRunHost _host;
    private readonly IBlobStore _store;
    private readonly TrainingSlots _slots;
    private readonly TrainingOptions _options;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _release = new();
    private int _cemCommittedRecords = -1;
    private ReplayPieces? _pieces;

    public RunTrainer(IRunHost host, IBlobStore store, TrainingSlots slots, TrainingOptions options, ILogger logger)
    {
        _host = host;
        _store = store;
        _slots = slots;
        _options = options;
        _logger = logger;
    }

    private string RunId => _host.RunId;
    private RunState State => _host.State;

    /// <summary>queued, training, stopping or ended.</summary>
    public string Activity { get; private set; } = "queued";

    private volatile TrainerProgress _progress = new(0, 0, null);
    private volatile bool _boundary;

    /// <summary>The newest iteration done in memory (committed or not), as the training thread left it.</summary>
    public TrainerProgress Progress
    {
        get => _progress;
        private set => _progress = value;
    }

    /// <summary>Asks the trainer to stop at the next iteration boundary after a checkpoint (deactivation, shutdown).</summary>
    public void Release()
    {
        Activity = "stopping";
        _boundary = true;
        _release.Cancel();
    }

    /// <summary>The run's desire changed (pause, cancel): the training thread hands over at the next iteration boundary.</summary>
    public void Interrupt() => _boundary = true;

    public async Task<TrainerOutcome> RunAsync()
    {
        Progress = new TrainerProgress(State.Iteration, 0, null);
        IDisposable slot;
        try
        {
            // A run that trained before (its silo died, it was released or paused) goes ahead of runs that never started.
            bool resuming = State.Iteration > 0 || State.Activations > 0 && State.Status == RunStatus.Running;
            slot = await _slots.AcquireAsync(RunId, State.Cores, State.Gpu, _release.Token, resuming);
        }
        catch (OperationCanceledException)
        {
            Activity = "ended";
            return TrainerOutcome.Released;
        }
        using (slot)
        using (var activity = MetaRlTelemetry.Grains.StartActivity("grain.activate"))
        {
            activity?.SetTag("grain.key", $"run/{RunId}");
            activity?.SetTag("silo", _host.SiloName);
            if (_release.IsCancellationRequested) return TrainerOutcome.Released;
            Activity = "training";
            try
            {
                return await TrainAsync();
            }
            catch (InconsistentStateException e)
            {
                _logger.LogWarning("Run {RunId}: another activation wrote its state ({Message}); this one stops", RunId, e.Message);
                return TrainerOutcome.Stale;
            }
            catch (StorageUnavailableException e)
            {
                _logger.LogError("Run {RunId}: storage failed for longer than {Limit} ({Message}); letting go", RunId, _options.StorageRetryLimit, e.Message);
                return TrainerOutcome.StorageFailed;
            }
            catch (RunFailedException e)
            {
                // The learning itself failed (a bug, bad numbers, a device the silo lacks): retrying cannot fix it.
                return await FailAsync(e.Message);
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                // The infrastructure failed (storage, another grain, the silo stopping): let go; the watchdog resumes the run from its checkpoint.
                _logger.LogWarning(e, "Run {RunId}: stopped by {Error}; it resumes from its last checkpoint", RunId, e.GetType().Name);
                return TrainerOutcome.StorageFailed;
            }
            finally
            {
                Activity = "ended";
            }
        }
    }

    private async Task<TrainerOutcome> TrainAsync()
    {
        RunSpec spec;
        try
        {
            spec = JsonSerializer.Deserialize<RunSpec>(State.SpecJson, GrainJson.Options) ?? throw new InvalidDataException("empty run spec");
        }
        catch (Exception e) when (e is JsonException or InvalidDataException)
        {
            throw new RunFailedException($"run spec unreadable: {e.Message}", e);
        }
        spec = SweepExpansion.ForCores(spec, _slots.CoresFor(State.Cores));

        // Still "running" at a start: the last activation went away without a word. Without an iteration
        // committed since it started, that is a silo killed or crashed by this run, most likely.
        bool diedWithoutProgress = State.Status == RunStatus.Running && State.Activations > 0 && State.Iteration == State.StartIteration;
        int crashed = diedWithoutProgress ? State.CrashedStarts + 1 : 0;
        if (crashed >= _options.CrashedStartsLimit)
        {
            await WriteAsync(s => s with { CrashedStarts = crashed });
            throw new RunFailedException($"its silo went away {crashed} times in a row while training it, each time before it committed an iteration past {State.Iteration} (killed — out of memory? — or a native crash; see the silos' logs); not started again. 'metarl run resume {RunId}' tries it again from its last checkpoint", new InvalidOperationException("crashed starts"));
        }
        await WriteAsync(s => s with { Status = RunStatus.Running, Silo = _host.SiloName, Activations = s.Activations + 1, Error = null, StartIteration = s.Iteration, CrashedStarts = crashed });
        if (crashed > 0)
            _logger.LogWarning("Run {RunId}: training on {Silo} from committed iteration {Iteration}; its silo went away {Crashed} time(s) in a row before it committed (limit {Limit})", RunId, _host.SiloName, State.Iteration, crashed, _options.CrashedStartsLimit);
        else _logger.LogDebug("Run {RunId}: training on {Silo} from committed iteration {Iteration}", RunId, _host.SiloName, State.Iteration);
        using var thread = new TrainingThread($"run {RunId}");
        // The run in training; a restore that finds a checkpoint unusable after loading part of it replaces it.
        var run = new System.Runtime.CompilerServices.StrongBox<MetaTrainingRun?>();
        try
        {
            run.Value = await LearnAsync(thread, () => new MetaTrainingRun(spec));
            var checkpointer = new Checkpointer(_store, RunId, _host.ActivationTag, _logger);
            var reexecuted = await RestoreAsync(run, spec, thread, checkpointer);
            // Validations and tests adapt to every task and can take minutes: queries see how far they are.
            run.Value!.Progress = new PhaseReporter(phase => Progress = Progress with { Phase = PhaseReporter.Describe(phase) });
            return await TrainLoopAsync(run.Value, thread, checkpointer, reexecuted);
        }
        finally
        {
            if (run.Value is { } last) await thread.RunAsync(last.Dispose);
        }
    }

    /// <summary>
    /// Restores the newest committed checkpoint that is whole — its parts verify, every replay piece it
    /// lists is there and hashes to what it recorded — trying older ones otherwise, and proves the restore
    /// faithful before training on: the restored run must save exactly the bytes it was restored from.
    /// Replaces the run with a fresh one where a failed attempt may have half-loaded it. Returns, when it
    /// fell back behind the committed iteration, the committed metric lines of the iterations the run will
    /// execute again (they are checked, not written again).
    /// </summary>
    private async Task<IReadOnlyList<string>> RestoreAsync(System.Runtime.CompilerServices.StrongBox<MetaTrainingRun?> holder, RunSpec spec, TrainingThread thread, Checkpointer checkpointer)
    {
        int committed = State.Iteration;
        if (State.Checkpoints.Count == 0) return [];
        await foreach (var (reference, manifest, bytes) in checkpointer.LoadValidAsync(State.Checkpoints, CancellationToken.None))
        {
            var archive = TensorArchive.FromBytes(bytes);
            var needed = MetaTrainingRun.PiecesNeeded(archive);
            Dictionary<StatePiece, byte[]> pieces;
            try
            {
                pieces = needed.Count == 0 ? [] : await RetryStorageAsync(() => Pieces.FetchAsync(needed, CancellationToken.None), "replay segments");
            }
            catch (InvalidDataException e)
            {
                _logger.LogWarning("Checkpoint {Folder} of run {RunId} is unusable ({Reason}); trying the previous one", reference.Folder, RunId, e.Message);
                continue;
            }
            var run = holder.Value!;
            bool apart = run.Pieces is not null;
            var restored = await thread.RunAsync(() =>
            {
                try
                {
                    run.LoadState(archive, p => pieces[p]);
                    return (Problem: (string?)null, Faithful: run.SaveState(apart).ToBytes().AsSpan().SequenceEqual(bytes));
                }
                catch (InvalidDataException e)
                {
                    return (Problem: e.Message, Faithful: false);
                }
            });
            if (restored.Problem is { } problem)
            {
                _logger.LogWarning("Checkpoint {Folder} of run {RunId} is unusable ({Reason}); trying the previous one", reference.Folder, RunId, problem);
                holder.Value = null;
                await thread.RunAsync(run.Dispose);
                holder.Value = await LearnAsync(thread, () => new MetaTrainingRun(spec));
                continue;
            }
            if (!restored.Faithful)
                throw new RunFailedException($"restoring checkpoint {reference.Folder} did not reproduce the state it holds (the restored run saves other bytes); resuming would not continue the run exactly", new InvalidOperationException("unfaithful restore"));
            await RepairTailsAsync(reference, manifest);
            if (reference != State.Checkpoints[^1])
                await WriteAsync(s => s with { Checkpoints = s.Checkpoints.Where(c => c.Iteration <= reference.Iteration).ToList() });
            _logger.LogInformation("Run {RunId}: resumed at iteration {Iteration} (committed {Committed}) on {Silo}", RunId, run.Iteration, committed, _host.SiloName);
            if (run.Iteration >= committed) return [];
            // Behind the committed iteration: the iterations run again must give the lines already committed.
            var stored = await CommittedLines.ReadAsync(_store, RunBlobs.Metrics(RunId), State.MetricsLength, State.MetricsDigest,
                () => Task.FromResult<(long, List<string>)?>(null), CommittedLines.MetricLine, run.Iteration, CancellationToken.None);
            if (stored.Problem is { } damage)
                _logger.LogWarning("Run {RunId}: the committed metric lines after iteration {Iteration} cannot all be read ({Problem}); the iterations run again are checked as far as they can be", RunId, run.Iteration, damage);
            return stored.Lines;
        }
        _logger.LogWarning("Run {RunId}: no intact checkpoint; starting over (iterations up to {Committed} are already recorded)", RunId, committed);
        // From the start: iterations 1… are run again and must give the committed lines.
        var all = await CommittedLines.ReadAsync(_store, RunBlobs.Metrics(RunId), State.MetricsLength, State.MetricsDigest,
            () => Task.FromResult<(long, List<string>)?>(null), CommittedLines.MetricLine, 0, CancellationToken.None);
        return all.Lines;
    }

    private async Task<TrainerOutcome> TrainLoopAsync(MetaTrainingRun run, TrainingThread thread, Checkpointer checkpointer, IReadOnlyList<string> reexecuted)
    {
        int committed = State.Iteration;
        int restoredAt = run.Iteration;
        if (_cemCommittedRecords < 0) _cemCommittedRecords = State.CemHistoryLength > 0 ? await CountCemRecordsAsync() : 0;
        Progress = new TrainerProgress(run.Iteration, 0, null);

        var pendingLines = new List<string>();
        var pendingCem = new List<string>();
        int cemSeen = run.Cem?.History.Count ?? 0;
        var sinceCheckpoint = Stopwatch.StartNew();
        int iterationsSinceCheckpoint = 0;
        long steps = State.EnvironmentSteps;

        while (!run.Done)
        {
            var desired = State.Desired;
            if (_release.IsCancellationRequested || desired != RunDesire.Run)
            {
                if (iterationsSinceCheckpoint > 0) await CommitAsync(run, thread, checkpointer, pendingLines, pendingCem, steps);
                var (status, outcome) = desired switch
                {
                    RunDesire.Pause => (RunStatus.Paused, TrainerOutcome.Paused),
                    RunDesire.Cancel => (RunStatus.Cancelled, TrainerOutcome.Cancelled),
                    _ => (RunStatus.Pending, TrainerOutcome.Released),
                };
                await WriteAsync(s => s with { Status = status });
                if (status == RunStatus.Cancelled) await TellSweepAsync(new RunEnd(RunStatus.Cancelled, null, null));
                return outcome;
            }
            _boundary = false; // an interruption whose desire was taken back meanwhile

            // The training thread runs iterations until a checkpoint is due (or someone asks it to stop):
            // one hand-over to the grain per checkpoint, not per iteration, so that a silo's cores go to
            // learning rather than to waking threads.
            int committedSoFar = committed;
            var (lines, cemLines) = await LearnAsync(thread, () =>
            {
                var metricLines = new List<string>();
                var cemRecords = new List<string>();
                do
                {
                    var watch = Stopwatch.StartNew();
                    IterationMetrics m;
                    using (var activity = MetaRlTelemetry.Grains.StartActivity("run.iteration"))
                    {
                        activity?.SetTag("run.id", RunId);
                        activity?.SetTag("run.iteration", run.Iteration + 1);
                        m = run.Step();
                    }
                    Record(m, watch.Elapsed.TotalSeconds);
                    Progress = new TrainerProgress(m.Iteration, watch.Elapsed.TotalSeconds, m, Progress.Phase);
                    steps = m.TotalEnvironmentSteps;
                    iterationsSinceCheckpoint++;
                    var line = JsonSerializer.Serialize(m, GrainJson.Options);
                    // Lines of iterations committed before (when resuming from an older checkpoint) already exist:
                    // the iteration run again must give the same line, or the run is not deterministic.
                    if (m.Iteration > committedSoFar) metricLines.Add(line);
                    else if (m.Iteration - restoredAt - 1 < reexecuted.Count && reexecuted[m.Iteration - restoredAt - 1] != line)
                        throw new InvalidOperationException($"iteration {m.Iteration}, run again after a fall-back to an older checkpoint, differs from its committed metric line; the run is not deterministic here (committed: {reexecuted[m.Iteration - restoredAt - 1]}; again: {line})");
                    if (run.Cem is { } cem)
                        for (; cemSeen < cem.History.Count; cemSeen++)
                            if (cem.History[cemSeen].Index >= _cemCommittedRecords) cemRecords.Add(JsonSerializer.Serialize(cem.History[cemSeen], GrainJson.Options));
                }
                while (!run.Done && !Due(iterationsSinceCheckpoint, sinceCheckpoint) && !_boundary);
                return (metricLines, cemRecords);
            });
            pendingLines.AddRange(lines);
            pendingCem.AddRange(cemLines);
            if (run.Done || Due(iterationsSinceCheckpoint, sinceCheckpoint))
            {
                await CommitAsync(run, thread, checkpointer, pendingLines, pendingCem, steps);
                committed = Math.Max(committed, run.Iteration);
                iterationsSinceCheckpoint = 0;
                sinceCheckpoint.Restart();
            }
        }

        await CompleteAsync(run, thread);
        return TrainerOutcome.Completed;
    }

    private bool Due(int iterationsSinceCheckpoint, Stopwatch sinceCheckpoint) =>
        (_options.CheckpointEveryIterations > 0 && iterationsSinceCheckpoint >= _options.CheckpointEveryIterations)
        || sinceCheckpoint.Elapsed >= _options.CheckpointInterval;

    private void Record(IterationMetrics m, double seconds)
    {
        var tags = new KeyValuePair<string, object?>("run.id", RunId);
        MetaRlTelemetry.Iterations.Add(1, tags);
        MetaRlTelemetry.EnvironmentSteps.Add(m.EnvironmentSteps, tags);
        MetaRlTelemetry.IterationSeconds.Record(seconds, tags);
        MetaRlTelemetry.MeanScore.Record(m.MeanScore, tags);
        MetaRlTelemetry.CvarScore.Record(m.CvarScore, tags);
        if (m.CemPhi is not null)
            for (int d = 0; d < m.CemPhi.Length; d++)
                MetaRlTelemetry.CemPhi.Record(m.CemPhi[d][0], tags, new KeyValuePair<string, object?>("dimension", d));
    }

    /// <summary>Parts → manifest → state (ETag-checked) → metric lines and CEM records → the CEM grain → pruning.</summary>
    private async Task CommitAsync(MetaTrainingRun run, TrainingThread thread, Checkpointer checkpointer, List<string> lines, List<string> cemLines, long steps)
    {
        // A learner with immutable pieces (MQL's sealed replay segments): the new ones go to their task
        // grains first, the checkpoint itself only lists them.
        var store = Pieces; // taken here: the grain's services are not for the training thread
        var (bytes, fresh) = await LearnAsync(thread, () =>
        {
            if (run.Pieces is not { } p) return (run.SaveState().ToBytes(), new List<(StatePiece, byte[])>());
            var missing = store.Missing(p.Pieces()).Select(piece => (piece, p.PieceBytes(piece))).ToList();
            return (run.SaveState(apart: true).ToBytes(), missing);
        });
        foreach (var (piece, pieceBytes) in fresh)
            await RetryStorageAsync(async () =>
            {
                await Pieces.StoreAsync(piece, pieceBytes, run.Pieces!.PieceOwners[piece.Task], CancellationToken.None);
                return true;
            }, "replay segments");
        var metricsBlock = Encoding.UTF8.GetBytes(string.Concat(lines.Select(l => l + "\n")));
        var cemBlock = Encoding.UTF8.GetBytes(string.Concat(cemLines.Select(l => l + "\n")));
        var template = new CheckpointManifest
        {
            EnvironmentSteps = steps,
            MetricsOffset = State.MetricsLength,
            MetricLines = lines.ToList(),
            CemHistoryOffset = State.CemHistoryLength,
            CemHistoryLines = cemLines.ToList(),
        };
        var (reference, manifest) = await RetryStorageAsync(() => checkpointer.WriteAsync(run.Iteration, bytes, template, CancellationToken.None), "checkpoint parts");
        var checkpoints = State.Checkpoints.Where(c => c.Iteration < run.Iteration).Append(reference).TakeLast(_options.KeepCheckpoints).ToList();
        await WriteAsync(s => s with
        {
            Iteration = Math.Max(s.Iteration, run.Iteration),
            Checkpoints = checkpoints,
            MetricsLength = s.MetricsLength + metricsBlock.Length,
            CemHistoryLength = s.CemHistoryLength + cemBlock.Length,
            MetricsDigest = LineDigests.Extend(s.MetricsDigest, s.MetricsLength, lines),
            CemHistoryDigest = LineDigests.Extend(s.CemHistoryDigest, s.CemHistoryLength, cemLines),
            EnvironmentSteps = Math.Max(s.EnvironmentSteps, steps),
        });
        await RetryStorageAsync(() => AppendOnceAsync(RunBlobs.Metrics(RunId), manifest.MetricsOffset, metricsBlock), "metric lines");
        await RetryStorageAsync(() => AppendOnceAsync(RunBlobs.CemHistory(RunId), manifest.CemHistoryOffset, cemBlock), "CEM history");
        _cemCommittedRecords += cemLines.Count;
        lines.Clear();
        cemLines.Clear();
        if (run.Cem is not null) await RecordCemAsync(await LearnAsync(thread, () => CemView(run)));
        await RetryStorageAsync(() => checkpointer.PruneAsync(checkpoints, CancellationToken.None), "pruning old checkpoints");
    }

    private ReplayPieces Pieces => _pieces ??= new ReplayPieces(_host.GrainFactory, RunId);

    /// <summary>Appends <paramref name="block"/> at <paramref name="offset"/> unless it is already there (a retry, or a previous activation that got that far).</summary>
    private async Task<bool> AppendOnceAsync(string path, long offset, byte[] block)
    {
        if (block.Length == 0) return true;
        try
        {
            await _store.AppendAtAsync(path, block, offset, CancellationToken.None).ConfigureAwait(false);
        }
        catch (BlobConditionFailedException)
        {
            long length = (await _store.GetPropertiesAsync(path, CancellationToken.None).ConfigureAwait(false))?.Length ?? 0;
            if (length != offset + block.Length)
                throw new InvalidDataException($"{path} is {length} bytes long; the committed state expects {offset} or {offset + block.Length}");
        }
        return true;
    }

    /// <summary>After a takeover: append the newest checkpoint's lines if its writer stopped before it could.</summary>
    private async Task RepairTailsAsync(CheckpointRef loaded, CheckpointManifest manifest)
    {
        if (loaded != State.Checkpoints[^1]) return; // fell back to an older checkpoint: the newer lines are in place
        var metrics = Encoding.UTF8.GetBytes(string.Concat(manifest.MetricLines.Select(l => l + "\n")));
        await RetryStorageAsync(() => AppendOnceAsync(RunBlobs.Metrics(RunId), manifest.MetricsOffset, metrics), "metric lines");
        var cem = Encoding.UTF8.GetBytes(string.Concat(manifest.CemHistoryLines.Select(l => l + "\n")));
        await RetryStorageAsync(() => AppendOnceAsync(RunBlobs.CemHistory(RunId), manifest.CemHistoryOffset, cem), "CEM history");
        _cemCommittedRecords = await CountCemRecordsAsync();
    }

    private async Task<int> CountCemRecordsAsync()
    {
        var bytes = await RetryStorageAsync(() => _store.ReadFromAsync(RunBlobs.CemHistory(RunId), 0, CancellationToken.None), "CEM history");
        return bytes is null ? 0 : bytes.Take((int)Math.Min(bytes.Length, State.CemHistoryLength)).Count(b => b == (byte)'\n');
    }

    /// <summary>
    /// The CEM sampler grain's view is a convenience for observers (the history blob is the record):
    /// while the silo stops, one attempt, and a failure only logged.
    /// </summary>
    private async Task RecordCemAsync(CemSamplerState view)
    {
        var grain = _host.GrainFactory.GetGrain<ICemSamplerGrain>(RunId);
        if (!_release.IsCancellationRequested)
        {
            await RetryStorageAsync(() => grain.RecordAsync(view), "CEM sampler grain");
            return;
        }
        try
        {
            await grain.RecordAsync(view);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            _logger.LogInformation("Run {RunId}: the CEM sampler's view was not updated while the silo stops ({Message}); the next checkpoint does", RunId, e.Message);
        }
    }

    /// <summary>
    /// Runs learning code on the training thread; what it throws means the run failed — out of memory
    /// included: an allocation this run's sizes ask for and the machine cannot give fails that run, and
    /// the silo (whose other runs' memory is untouched by an allocation that did not happen) goes on.
    /// </summary>
    private static async Task<T> LearnAsync<T>(TrainingThread thread, Func<T> work)
    {
        try
        {
            return await thread.RunAsync(work);
        }
        catch (OutOfMemoryException e)
        {
            throw new RunFailedException($"out of memory: {e.Message} (the run's sizes — metaBatch, episodes, network widths, replay — ask for more than this silo has)", e);
        }
        catch (Exception e)
        {
            throw new RunFailedException($"{e.GetType().Name}: {e.Message}", e);
        }
    }

    private CemSamplerState CemView(MetaTrainingRun run)
    {
        var cem = run.Cem!;
        return new CemSamplerState
        {
            RunId = RunId,
            Iteration = run.Iteration,
            Latents = run.Family.Latents.Select(l => l.Name).ToArray(),
            Kinds = cem.Dimensions.Select(d => d.Kind).ToArray(),
            Phi = cem.Phi.Select(p => (double[])p.Clone()).ToArray(),
            Phi0 = cem.Phi0.Select(p => (double[])p.Clone()).ToArray(),
            Alpha = cem.Alpha,
            PendingCount = cem.Pending?.Count ?? 0,
            Updates = cem.History.Count,
            PhiHistory = cem.History.Select(h => h.PhiAfter).ToList(),
        };
    }

    private async Task CompleteAsync(MetaTrainingRun run, TrainingThread thread)
    {
        var (result, model, tasks, adaptations) = await LearnAsync(thread, () =>
        {
            var r = run.Finish();
            var testTasks = run.Spec.Evaluation.TestSet(run.Family);
            // MQL: what adapting to each test task found, for the selected model (the last one evaluated).
            var a = (run.Learner as MqlLearner)?.LastAdaptations.ToList();
            return (r, ModelFile.Create(run), testTasks, a);
        });
        var document = new RunResultDocument(RunId, State.SweepId, run.Spec.Method, run.Spec.Alpha, run.Spec.Seed, result, run.Iteration, State.EnvironmentSteps, run.Cem?.Phi.ToArray());
        var resultBytes = GrainJson.Serialize(document);
        await RetryStorageAsync(() => _store.WriteAsync(RunBlobs.Result(RunId), resultBytes, WriteCondition.None, CancellationToken.None), "result");
        await RetryStorageAsync(() => _store.WriteAsync(RunBlobs.Model(RunId), model, WriteCondition.None, CancellationToken.None), "model");
        await RetryStorageAsync(() => RecordTailTasksAsync(run, result, tasks), "task grains");
        if (adaptations is { Count: > 0 }) await RetryStorageAsync(() => RecordPropensitiesAsync(run, result, adaptations), "propensity grains");
        var summary = document.ToSummary();
        var resultSha256 = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(resultBytes));
        await WriteAsync(s => s with { Status = RunStatus.Completed, Summary = summary, ResultSha256 = resultSha256 });
        await TellSweepAsync(new RunEnd(RunStatus.Completed, summary, null));
        _logger.LogInformation("Run {RunId}: completed (test mean {Mean:G5}, CVaR {Cvar:G5})", RunId, result.Best.Mean, result.Best.Cvar);
    }

    /// <summary>The selected model's worst test tasks (its CVaR tail) as task grains, with their scores.</summary>
    private async Task<bool> RecordTailTasksAsync(MetaTrainingRun run, RunResult result, IReadOnlyList<MetaTask> tasks)
    {
        int tail = Math.Min(_options.TailTaskGrains, Cvar.TailCount(tasks.Count, run.Spec.Alpha));
        foreach (var i in Enumerable.Range(0, tasks.Count).OrderBy(i => result.Best.Scores[i]).Take(tail))
        {
            var id = $"test-{i:D5}";
            // One write per task: the record with both of its scores.
            await _host.GrainFactory.GetGrain<ITaskGrain>($"{RunId}.{id}").CreateAsync(new TaskState
            {
                RunId = RunId,
                TaskId = id,
                Role = "test",
                Family = tasks[i].Family,
                Latent = tasks[i].Latent,
                Parameters = tasks[i].ParameterNames.Select((n, k) => (n, tasks[i].Parameters[k])).ToDictionary(p => p.n, p => p.Item2),
                Scores =
                [
                    new TaskScore("selected", result.BestIteration, result.Best.PreScores[i], result.Best.Scores[i]),
                    new TaskScore("final", run.Iteration, result.Final.PreScores[i], result.Final.Scores[i]),
                ],
            });
        }
        return true;
    }

    /// <summary>MQL: each tail task's propensity classifier, ESS, λ and β summary as a propensity grain (key "{runId}.test-NNNNN").</summary>
    private async Task<bool> RecordPropensitiesAsync(MetaTrainingRun run, RunResult result, IReadOnlyList<AdaptationDiagnostics> adaptations)
    {
        int tail = Math.Min(_options.TailTaskGrains, Cvar.TailCount(adaptations.Count, run.Spec.Alpha));
        foreach (var i in Enumerable.Range(0, adaptations.Count).OrderBy(i => result.Best.Scores[i]).Take(tail))
        {
            var d = adaptations[i];
            var id = $"test-{i:D5}";
            await _host.GrainFactory.GetGrain<IPropensityGrain>($"{RunId}.{id}").SaveAsync(new PropensityState
            {
                RunId = RunId,
                TaskId = id,
                Weights = d.Fit.Weights,
                Bias = d.Fit.Bias,
                Regularisation = run.Spec.Mql.PropensityC,
                EffectiveSampleSize = d.EffectiveSampleSize,
                Lambda = d.Lambda,
                NewTaskSamples = d.NewTaskSamples,
                ReplaySamples = d.ReplaySamples,
                TrainingAccuracy = d.TrainingAccuracy,
                LogLoss = d.Fit.LogLoss,
                MeanOdds = d.BetaMean,
                MedianOdds = d.BetaMedian,
                MaxOdds = d.BetaMax,
                ClippedOddsFraction = d.BetaClippedFraction,
                PreReturn = d.PreReturn,
                PostReturn = d.PostReturn,
                Iterations = d.Fit.Iterations,
                Fitted = DateTimeOffset.UtcNow,
            });
        }
        return true;
    }

    private async Task<TrainerOutcome> FailAsync(string error)
    {
        _logger.LogError("Run {RunId}: failed: {Error}", RunId, error);
        await WriteAsync(s => s with { Status = RunStatus.Failed, Error = error });
        await TellSweepAsync(new RunEnd(RunStatus.Failed, null, error));
        return TrainerOutcome.Failed;
    }

    /// <summary>Best effort: if the sweep cannot be told now, its watchdog learns the end from the run's state.</summary>
    private async Task TellSweepAsync(RunEnd end)
    {
        if (string.IsNullOrEmpty(State.SweepId)) return;
        for (int attempt = 1; ; attempt++)
        {
            try
            {
                await _host.GrainFactory.GetGrain<ISweepGrain>(State.SweepId).RunEndedAsync(RunId, end);
                return;
            }
            catch (Exception e) when (attempt < 3 && e is not InconsistentStateException)
            {
                await Task.Delay(TimeSpan.FromSeconds(attempt));
            }
            catch (Exception e) when (e is not InconsistentStateException)
            {
                _logger.LogWarning("Run {RunId}: could not tell sweep {SweepId} that it ended ({Message}); its watchdog will", RunId, State.SweepId, e.Message);
                return;
            }
        }
    }

    private Task WriteAsync(Func<RunState, RunState> change) => _host.WriteStateAsync(change, _options.StorageRetryLimit);

    /// <summary>Retries a storage step with backoff (0.5 s doubling to 30 s) for up to the storage retry limit.</summary>
    private async Task<T> RetryStorageAsync<T>(Func<Task<T>> step, string what)
    {
        var deadline = Stopwatch.StartNew();
        for (int attempt = 0; ; attempt++)
        {
            try
            {
                return await step();
            }
            catch (Exception e) when (StorageFaults.IsTransient(e))
            {
                if (deadline.Elapsed > _options.StorageRetryLimit || _release.IsCancellationRequested && attempt >= 3)
                    throw new StorageUnavailableException($"{what}: {e.Message}", e);
                var delay = TimeSpan.FromSeconds(Math.Min(30, 0.5 * Math.Pow(2, Math.Min(attempt, 6))));
                _logger.LogWarning("Run {RunId}: storage failed writing {What} ({Message}); retrying in {Delay}", RunId, what, e.Message, delay);
                await Task.Delay(delay);
            }
        }
    }

    private Task RetryStorageAsync(Func<Task> step, string what) => RetryStorageAsync(async () =>
    {
        await step();
        return true;
    }, what);
}
