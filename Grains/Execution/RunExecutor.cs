using System.Diagnostics;
using System.Text;
using System.Text.Json;
using MetaRl.Grains.Interfaces;
using MetaRl.Grains.Interfaces.State;
using MetaRl.Grains.Telemetry;
using MetaRl.Learning.Environments;
using MetaRl.Learning.Robust;
using MetaRl.Learning.Torch.Serialization;
using MetaRl.Learning.Training;
using MetaRl.Storage;

namespace MetaRl.Grains.Execution;

/// <summary>
/// Executes one run on this silo while it holds the run's lease: restores the newest intact
/// checkpoint, trains iteration by iteration, commits a checkpoint every K iterations or T seconds
/// (parts → manifest → the run state pointing at it → the metric lines), and on completion writes
/// the result, the model, the tail task grains and the sweep's summary. Metric lines and the CEM
/// history are appended only after the checkpoint that covers them committed, so every iteration is
/// recorded exactly once whatever fails when.
/// </summary>
public sealed class RunExecutor
{
    private readonly IBlobStore _store;
    private readonly GrainFactory _grains;
    private readonly ExecutorOptions _options;
    private readonly Action<string> _log;
    private readonly string _runId;
    private readonly LeaseKeeper _lease;
    private RunState _state;
    private string _etag;

    private RunExecutor(IBlobStore store, ExecutorOptions options, Action<string> log, string runId, LeaseKeeper lease, RunState state, string etag)
    {
        _store = store;
        _grains = new GrainFactory(store);
        _options = options;
        _log = log;
        _runId = runId;
        _lease = lease;
        _state = state;
        _etag = etag;
    }

    public string RunId => _runId;

    /// <summary>Lets go of a claimed run without touching it (the silo had no room after all).</summary>
    public ValueTask ReleaseAsync() => _lease.DisposeAsync();
    public int Cores => _state.Cores;

    /// <summary>Takes the run's lease if nobody holds it; null when someone does or the run is not there.</summary>
    public static async Task<RunExecutor?> TryClaimAsync(IBlobStore store, string runId, ExecutorOptions options, Action<string> log, CancellationToken ct)
    {
        var path = StoragePaths.Run(runId);
        string leaseId = Guid.NewGuid().ToString();
        try
        {
            await store.AcquireLeaseAsync(path, options.LeaseDuration, leaseId, ct).ConfigureAwait(false);
        }
        catch (BlobLeaseException)
        {
            return null;
        }
        catch (BlobNotFoundException)
        {
            return null;
        }
        var lease = new LeaseKeeper(store, path, leaseId, options.LeaseDuration, options.LeaseRenewal, log);
        var state = await store.ReadAsync<RunState>(path, ct).ConfigureAwait(false);
        if (state is null)
        {
            await lease.DisposeAsync().ConfigureAwait(false);
            return null;
        }
        return new RunExecutor(store, options, log, runId, lease, state.Value, state.ETag);
    }

    /// <summary>Trains until the run completes, <paramref name="shutdown"/> asks the silo to stop (then it checkpoints and lets go), or the lease is lost.</summary>
    public async Task<RunOutcome> ExecuteAsync(CancellationToken shutdown)
    {
        await using var lease = _lease;
        using var activity = MetaRlTelemetry.Grains.StartActivity("grain.activate");
        activity?.SetTag("grain.key", $"run/{_runId}");
        activity?.SetTag("silo.id", _options.SiloId);
        try
        {
            return await ExecuteCoreAsync(shutdown).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (_lease.IsLost)
        {
            return RunOutcome.LeaseLost;
        }
        catch (BlobLeaseException e)
        {
            _log($"run {_runId}: lease refused a write ({e.Message}); stopping");
            return RunOutcome.LeaseLost;
        }
        catch (BlobConditionFailedException e)
        {
            _log($"run {_runId}: its state changed under us ({e.Message}); stopping");
            return RunOutcome.LeaseLost;
        }
        catch (BlobStoreException e)
        {
            _log($"run {_runId}: storage failed ({e.Message}); it stays runnable");
            return RunOutcome.StorageFailed;
        }
        catch (Exception e) when (e is not OperationCanceledException and not OutOfMemoryException)
        {
            // A bug or a corrupt input, not a passing fault: record it rather than let every silo retry forever.
            try
            {
                return await FailAsync($"{e.GetType().Name}: {e.Message}", _lease.Lost).ConfigureAwait(false);
            }
            catch (Exception inner) when (inner is BlobStoreException or OperationCanceledException)
            {
                _log($"run {_runId}: failed ({e.Message}) and the failure could not be recorded ({inner.Message})");
                return RunOutcome.Failed;
            }
        }
    }

    private async Task<RunOutcome> ExecuteCoreAsync(CancellationToken shutdown)
    {
        var lost = _lease.Lost;
        if (_state.Status is RunStatus.Completed or RunStatus.Cancelled or RunStatus.Failed)
        {
            await RemoveMarkerAsync(lost).ConfigureAwait(false);
            return RunOutcome.NotClaimed;
        }
        switch (await ReadDesireAsync(lost).ConfigureAwait(false))
        {
            case RunDesire.Cancel:
                await SetStatusAsync(RunStatus.Cancelled, null, lost).ConfigureAwait(false);
                await RemoveMarkerAsync(lost).ConfigureAwait(false);
                return RunOutcome.Cancelled;
            case RunDesire.Pause:
                await SetStatusAsync(RunStatus.Paused, null, lost).ConfigureAwait(false);
                await RemoveMarkerAsync(lost).ConfigureAwait(false);
                return RunOutcome.Paused;
        }

        RunSpec spec;
        try
        {
            spec = JsonSerializer.Deserialize<RunSpec>(_state.SpecJson, GrainJson.Options) ?? throw new InvalidDataException("empty run spec");
        }
        catch (Exception e) when (e is JsonException or InvalidDataException)
        {
            return await FailAsync($"run spec unreadable: {e.Message}", lost).ConfigureAwait(false);
        }

        await WriteStateAsync(_state with { Status = RunStatus.Running, Owner = _options.SiloId, OwnerSince = DateTimeOffset.UtcNow, Activations = _state.Activations + 1, Error = null }, lost).ConfigureAwait(false);
        using var run = new MetaTrainingRun(SweepExpansion.ForCores(spec, Math.Max(1, _state.Cores)));
        var checkpointer = new Checkpointer(_store, _runId, _options.SiloId);
        int committed = _state.Iteration;

        if (_state.Checkpoints.Count > 0)
        {
            var loaded = await checkpointer.LoadLatestValidAsync(_state.Checkpoints, _log, lost).ConfigureAwait(false);
            if (loaded is { } l)
            {
                run.LoadState(TensorArchive.FromBytes(l.State));
                await RepairTailsAsync(l.Manifest, lost).ConfigureAwait(false);
                if (l.Manifest.Iteration != _state.Checkpoint)
                    await WriteStateAsync(_state with { Checkpoints = _state.Checkpoints.Where(c => c <= l.Manifest.Iteration).ToList(), Checkpoint = l.Manifest.Iteration }, lost).ConfigureAwait(false);
                _log($"run {_runId}: resumed at iteration {run.Iteration} (committed {committed}) on {_options.SiloId}");
            }
            else _log($"run {_runId}: no intact checkpoint; starting over (iterations up to {committed} are already recorded)");
        }
        if (_cemCommittedRecords < 0 && _state.CemHistoryLength > 0) _cemCommittedRecords = await CountCemRecordsAsync(lost).ConfigureAwait(false);

        var pendingLines = new List<string>();
        var pendingCem = new List<string>();
        int cemRecorded = run.Cem?.History.Count ?? 0;
        var sinceCheckpoint = Stopwatch.StartNew();
        var sinceControl = Stopwatch.StartNew();
        int iterationsSinceCheckpoint = 0;
        long steps = _state.EnvironmentSteps;

        while (!run.Done)
        {
            lost.ThrowIfCancellationRequested();
            if (shutdown.IsCancellationRequested)
            {
                if (iterationsSinceCheckpoint > 0) await CommitAsync(run, checkpointer, pendingLines, pendingCem, steps, lost).ConfigureAwait(false);
                await SetStatusAsync(RunStatus.Pending, null, lost).ConfigureAwait(false);
                return RunOutcome.Released;
            }
            if (sinceControl.Elapsed >= _options.ControlPoll)
            {
                sinceControl.Restart();
                var desire = await ReadDesireAsync(lost).ConfigureAwait(false);
                if (desire != RunDesire.Run)
                {
                    if (iterationsSinceCheckpoint > 0) await CommitAsync(run, checkpointer, pendingLines, pendingCem, steps, lost).ConfigureAwait(false);
                    await SetStatusAsync(desire == RunDesire.Pause ? RunStatus.Paused : RunStatus.Cancelled, null, lost).ConfigureAwait(false);
                    await RemoveMarkerAsync(lost).ConfigureAwait(false);
                    return desire == RunDesire.Pause ? RunOutcome.Paused : RunOutcome.Cancelled;
                }
            }

            IterationMetrics metrics;
            var watch = Stopwatch.StartNew();
            using (var iteration = MetaRlTelemetry.Grains.StartActivity("run.iteration"))
            {
                iteration?.SetTag("run.id", _runId);
                iteration?.SetTag("run.iteration", run.Iteration + 1);
                try
                {
                    metrics = run.Step();
                }
                catch (Exception e) when (e is not OperationCanceledException and not OutOfMemoryException)
                {
                    return await FailAsync($"iteration {run.Iteration + 1} failed: {e.GetType().Name}: {e.Message}", lost).ConfigureAwait(false);
                }
            }
            Record(metrics, watch.Elapsed.TotalSeconds);
            steps = metrics.TotalEnvironmentSteps;
            iterationsSinceCheckpoint++;
            // Lines of iterations committed before (when resuming from an older checkpoint) already exist.
            if (metrics.Iteration > committed) pendingLines.Add(JsonSerializer.Serialize(metrics, GrainJson.Options));
            if (run.Cem is { } cem)
            {
                for (; cemRecorded < cem.History.Count; cemRecorded++)
                    if (cem.History[cemRecorded].Index >= CemRecordsCommitted()) pendingCem.Add(JsonSerializer.Serialize(cem.History[cemRecorded], GrainJson.Options));
            }

            bool due = run.Done
                       || (_options.CheckpointEveryIterations > 0 && iterationsSinceCheckpoint >= _options.CheckpointEveryIterations)
                       || sinceCheckpoint.Elapsed >= _options.CheckpointInterval;
            if (due)
            {
                await CommitAsync(run, checkpointer, pendingLines, pendingCem, steps, lost).ConfigureAwait(false);
                committed = Math.Max(committed, run.Iteration);
                iterationsSinceCheckpoint = 0;
                sinceCheckpoint.Restart();
            }
        }

        await CompleteAsync(run, lost).ConfigureAwait(false);
        return RunOutcome.Completed;
    }

    private int _cemCommittedRecords = -1;

    /// <summary>CEM update records already in the history blob (counted once from its committed length).</summary>
    private int CemRecordsCommitted() => Math.Max(_cemCommittedRecords, 0);

    private void Record(IterationMetrics m, double seconds)
    {
        var tags = new KeyValuePair<string, object?>("run.id", _runId);
        MetaRlTelemetry.Iterations.Add(1, tags);
        MetaRlTelemetry.EnvironmentSteps.Add(m.EnvironmentSteps, tags);
        MetaRlTelemetry.IterationSeconds.Record(seconds, tags);
        MetaRlTelemetry.MeanScore.Record(m.MeanScore, tags);
        MetaRlTelemetry.CvarScore.Record(m.CvarScore, tags);
        if (m.CemPhi is not null)
            for (int d = 0; d < m.CemPhi.Length; d++)
                MetaRlTelemetry.CemPhi.Record(m.CemPhi[d][0], tags, new KeyValuePair<string, object?>("dimension", d));
    }

    /// <summary>Parts → manifest → state (conditional, under the lease) → metric lines and CEM records → views → pruning.</summary>
    private async Task CommitAsync(MetaTrainingRun run, Checkpointer checkpointer, List<string> lines, List<string> cemLines, long steps, CancellationToken ct)
    {
        var bytes = run.SaveState().ToBytes();
        var metricsBlock = Encoding.UTF8.GetBytes(string.Concat(lines.Select(l => l + "\n")));
        var cemBlock = Encoding.UTF8.GetBytes(string.Concat(cemLines.Select(l => l + "\n")));
        var manifest = await checkpointer.WriteAsync(run.Iteration, bytes, new CheckpointManifest
        {
            EnvironmentSteps = steps,
            MetricsOffset = _state.MetricsLength,
            MetricLines = lines.ToList(),
            CemHistoryOffset = _state.CemHistoryLength,
            CemHistoryLines = cemLines.ToList(),
        }, ct).ConfigureAwait(false);
        var checkpoints = _state.Checkpoints.Where(c => c < run.Iteration).Append(run.Iteration).TakeLast(_options.KeepCheckpoints).ToList();
        await WriteStateAsync(_state with
        {
            Iteration = Math.Max(_state.Iteration, run.Iteration),
            Checkpoint = run.Iteration,
            Checkpoints = checkpoints,
            MetricsLength = _state.MetricsLength + metricsBlock.Length,
            CemHistoryLength = _state.CemHistoryLength + cemBlock.Length,
            EnvironmentSteps = Math.Max(_state.EnvironmentSteps, steps),
        }, ct).ConfigureAwait(false);
        await AppendOnceAsync(StoragePaths.RunMetrics(_runId), manifest.MetricsOffset, metricsBlock, ct).ConfigureAwait(false);
        await AppendOnceAsync(StoragePaths.CemHistory(_runId), manifest.CemHistoryOffset, cemBlock, ct).ConfigureAwait(false);
        _cemCommittedRecords = CemRecordsCommitted() + cemLines.Count;
        lines.Clear();
        cemLines.Clear();
        if (run.Cem is not null) await WriteCemViewAsync(run, ct).ConfigureAwait(false);
        await checkpointer.PruneAsync(checkpoints, ct).ConfigureAwait(false);
    }

    /// <summary>Appends <paramref name="block"/> at <paramref name="offset"/> unless it is already there (a retry, or a previous owner that got that far).</summary>
    private async Task AppendOnceAsync(string path, long offset, byte[] block, CancellationToken ct)
    {
        if (block.Length == 0) return;
        try
        {
            await _store.AppendAtAsync(path, block, offset, ct).ConfigureAwait(false);
        }
        catch (BlobConditionFailedException)
        {
            long length = (await _store.GetPropertiesAsync(path, ct).ConfigureAwait(false))?.Length ?? 0;
            if (length != offset + block.Length)
                throw new InvalidDataException($"{path} is {length} bytes long; the committed state expects {offset} or {offset + block.Length}");
        }
    }

    /// <summary>After a takeover: append the last checkpoint's lines if its owner died before it could.</summary>
    private async Task RepairTailsAsync(CheckpointManifest manifest, CancellationToken ct)
    {
        if (manifest.Iteration != _state.Checkpoint) return; // fell back to an older checkpoint: the newer lines are in place
        var metrics = Encoding.UTF8.GetBytes(string.Concat(manifest.MetricLines.Select(l => l + "\n")));
        await AppendOnceAsync(StoragePaths.RunMetrics(_runId), manifest.MetricsOffset, metrics, ct).ConfigureAwait(false);
        var cem = Encoding.UTF8.GetBytes(string.Concat(manifest.CemHistoryLines.Select(l => l + "\n")));
        await AppendOnceAsync(StoragePaths.CemHistory(_runId), manifest.CemHistoryOffset, cem, ct).ConfigureAwait(false);
        _cemCommittedRecords = await CountCemRecordsAsync(ct).ConfigureAwait(false);
    }

    private async Task<int> CountCemRecordsAsync(CancellationToken ct)
    {
        var bytes = await _store.ReadFromAsync(StoragePaths.CemHistory(_runId), 0, ct).ConfigureAwait(false);
        return bytes is null ? 0 : bytes.Take((int)Math.Min(bytes.Length, _state.CemHistoryLength)).Count(b => b == (byte)'\n');
    }

    private async Task WriteCemViewAsync(MetaTrainingRun run, CancellationToken ct)
    {
        var cem = run.Cem!;
        var pending = cem.Pending;
        var view = new CemSamplerState
        {
            RunId = _runId,
            Iteration = run.Iteration,
            Latents = run.Family.Latents.Select(l => l.Name).ToArray(),
            Kinds = cem.Dimensions.Select(d => d.Kind).ToArray(),
            Phi = cem.Phi.Select(p => (double[])p.Clone()).ToArray(),
            Phi0 = cem.Phi0.Select(p => (double[])p.Clone()).ToArray(),
            Alpha = cem.Alpha,
            PendingCount = pending?.Count ?? 0,
            Updates = cem.History.Count,
            PhiHistory = cem.History.Select(h => h.PhiAfter).ToList(),
        };
        await _store.WriteAsync(StoragePaths.Cem(_runId), view, WriteCondition.None, null, ct).ConfigureAwait(false);
    }

    private async Task CompleteAsync(MetaTrainingRun run, CancellationToken ct)
    {
        var result = run.Finish();
        var document = new RunResultDocument(_runId, _state.SweepId, run.Spec.Method, run.Spec.Alpha, run.Spec.Seed, result, run.Iteration, _state.EnvironmentSteps, run.Cem?.Phi.ToArray());
        await _store.WriteAsync(StoragePaths.RunResult(_runId), document, WriteCondition.None, null, ct).ConfigureAwait(false);
        await _store.WriteAsync(StoragePaths.RunModel(_runId), ModelFile.Create(run), WriteCondition.None, null, ct).ConfigureAwait(false);
        await RecordTailTasksAsync(run, result, ct).ConfigureAwait(false);
        await WriteStateAsync(_state with { Status = RunStatus.Completed, Owner = null }, ct).ConfigureAwait(false);
        if (!string.IsNullOrEmpty(_state.SweepId))
            await _grains.Sweep(_state.SweepId).RecordResultAsync(document.ToSummary(), ct).ConfigureAwait(false);
        await RemoveMarkerAsync(ct).ConfigureAwait(false);
        _log($"run {_runId}: completed (test mean {result.Best.Mean:G5}, CVaR {result.Best.Cvar:G5})");
    }

    /// <summary>The selected model's worst test tasks (its CVaR tail) as task grains, with their scores.</summary>
    private async Task RecordTailTasksAsync(MetaTrainingRun run, RunResult result, CancellationToken ct)
    {
        var tasks = run.Family.FixedTaskSet(run.Spec.Evaluation.TestTasks, run.Spec.Evaluation.TestSeed);
        int tail = Math.Min(_options.TailTaskGrains, Cvar.TailCount(tasks.Count, run.Spec.Alpha));
        var worst = Enumerable.Range(0, tasks.Count).OrderBy(i => result.Best.Scores[i]).Take(tail);
        foreach (var i in worst)
        {
            var id = $"test-{i:D5}";
            var grain = (TaskGrain)_grains.Task(_runId, id);
            await grain.CreateAsync(new TaskState
            {
                RunId = _runId,
                TaskId = id,
                Role = "test",
                Family = tasks[i].Family,
                Latent = tasks[i].Latent,
                Parameters = tasks[i].ParameterNames.Select((n, k) => (n, tasks[i].Parameters[k])).ToDictionary(p => p.n, p => p.Item2),
            }, ct).ConfigureAwait(false);
            await grain.RecordScoreAsync(new TaskScore("selected", result.BestIteration, result.Best.PreScores[i], result.Best.Scores[i]), ct).ConfigureAwait(false);
            await grain.RecordScoreAsync(new TaskScore("final", run.Iteration, result.Final.PreScores[i], result.Final.Scores[i]), ct).ConfigureAwait(false);
        }
    }

    private async Task<RunOutcome> FailAsync(string error, CancellationToken ct)
    {
        _log($"run {_runId}: failed: {error}");
        await SetStatusAsync(RunStatus.Failed, error, ct).ConfigureAwait(false);
        await RemoveMarkerAsync(ct).ConfigureAwait(false);
        return RunOutcome.Failed;
    }

    private async Task<RunDesire> ReadDesireAsync(CancellationToken ct) =>
        (await _store.ReadAsync<RunControl>(StoragePaths.RunControl(_runId), ct).ConfigureAwait(false))?.Value.Desired ?? RunDesire.Run;

    private Task SetStatusAsync(RunStatus status, string? error, CancellationToken ct) =>
        WriteStateAsync(_state with { Status = status, Error = error, Owner = status == RunStatus.Running ? _options.SiloId : null }, ct);

    /// <summary>Every state write carries the lease and the ETag it read: a silo that lost either cannot write.</summary>
    private async Task WriteStateAsync(RunState next, CancellationToken ct)
    {
        next = next with { Updated = DateTimeOffset.UtcNow };
        _etag = await _store.WriteAsync(StoragePaths.Run(_runId), next, WriteCondition.Match(_etag), _lease.LeaseId, ct).ConfigureAwait(false);
        _state = next;
    }

    private async Task RemoveMarkerAsync(CancellationToken ct)
    {
        await _store.DeleteAsync(StoragePaths.RunnableMarker(_runId, gpu: false), WriteCondition.None, null, ct).ConfigureAwait(false);
        await _store.DeleteAsync(StoragePaths.RunnableMarker(_runId, gpu: true), WriteCondition.None, null, ct).ConfigureAwait(false);
    }
}

/// <summary>What a finished run leaves in result.json: its test results with every task's score.</summary>
public sealed record RunResultDocument(string RunId, string SweepId, string Method, double Alpha, ulong Seed, RunResult Result, int Iterations, long EnvironmentSteps, double[][]? CemPhi)
{
    /// <summary>What the sweep keeps of it.</summary>
    public RunSummary ToSummary() => new(RunId, Method, Alpha, Seed, Result.BestIteration, Result.Best.Mean, Result.Best.Cvar,
        Result.Final.Mean, Result.Final.Cvar, Result.Best.PreMean, EnvironmentSteps, CemPhi);
}
