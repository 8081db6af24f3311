using System.Diagnostics;
using System.Text;
using System.Text.Json;
using MetaRl.Grains.Capacity;
using MetaRl.Grains.Execution;
using MetaRl.Grains.Hosting;
using MetaRl.Grains.Interfaces;
using MetaRl.Grains.Interfaces.State;
using MetaRl.Grains.Placement;
using MetaRl.Learning.Training;
using MetaRl.Storage;
using Orleans.Runtime.Placement;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Storage;

namespace MetaRl.Grains;

/// <summary>
/// One training run. It trains inside this activation (<see cref="RunTrainer"/>, learning on a
/// dedicated thread) while its turns answer queries; every write of its state goes through
/// <see cref="WriteStateAsync"/>, one at a time, ETag-checked. Placed where training cores are free.
/// </summary>
[TrainingPlacement]
public sealed class MetaPolicyGrain(
    [PersistentState("run")] IPersistentState<RunState> state,
    IBlobStore store,
    TrainingSlots slots,
    ClusterCapacity capacity,
    IOptions<TrainingOptions> options,
    ILocalSiloDetails silo,
    ILogger<MetaPolicyGrain> logger) : Grain, IMetaPolicyGrain, IRunHost
{
    private readonly SemaphoreSlim _writeGate = new(1, 1);
    private RunTrainer? _trainer;
    private Task? _training;
    private IGrainTimer? _rebalance;
    private int _writes;

    public string RunId => this.GetPrimaryKeyString();
    public RunState State => state.State;
    public string SiloName => silo.Name;
    public string ActivationTag { get; } = Guid.NewGuid().ToString("N")[..10];
    IGrainFactory IRunHost.GrainFactory => GrainFactory;

    private bool Training => _training is { IsCompleted: false };

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        BeginIfDue();
        return Task.CompletedTask;
    }

    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        if (!Training) return;
        logger.LogInformation("Run {RunId}: deactivating ({Reason}); finishing the iteration and checkpointing", RunId, reason.Description);
        _trainer!.Release();
        await _training!;
    }

    public async Task<RunView> StartAsync(RunDefinition definition, CancellationToken cancellationToken)
    {
        if (definition.RunId != RunId) throw new ArgumentException($"definition of run '{definition.RunId}' given to run '{RunId}'", nameof(definition));
        if (!state.RecordExists)
        {
            var now = DateTimeOffset.UtcNow;
            try
            {
                await WriteStateAsync(_ => new RunState
                {
                    Id = definition.RunId,
                    SweepId = definition.SweepId,
                    SpecJson = definition.SpecJson,
                    Method = definition.Method,
                    Alpha = definition.Alpha,
                    Seed = definition.Seed,
                    Iterations = definition.Iterations,
                    Cores = Math.Max(1, definition.Cores),
                    Gpu = definition.Gpu,
                    Created = now,
                }, TimeSpan.FromSeconds(30));
            }
            catch (InconsistentStateException)
            {
                await state.ReadStateAsync(); // created by someone else meanwhile: take theirs
            }
        }
        BeginIfDue();
        return View();
    }

    public Task<RunView?> GetAsync(CancellationToken cancellationToken) => Task.FromResult(state.RecordExists ? View() : null);

    public Task<StoredLines> MetricsAsync(int fromLine, CancellationToken cancellationToken) =>
        !state.RecordExists ? Task.FromResult(new StoredLines())
            : CommittedLines.ReadAsync(store, RunBlobs.Metrics(RunId), State.MetricsLength, State.MetricsDigest,
                async () => await NewestManifestAsync(cancellationToken) is { } m ? (m.MetricsOffset, m.MetricLines) : null,
                CommittedLines.MetricLine, fromLine, cancellationToken);

    public Task<StoredLines> CemHistoryAsync(CancellationToken cancellationToken) =>
        !state.RecordExists ? Task.FromResult(new StoredLines())
            : CommittedLines.ReadAsync(store, RunBlobs.CemHistory(RunId), State.CemHistoryLength, State.CemHistoryDigest,
                async () => await NewestManifestAsync(cancellationToken) is { } m ? (m.CemHistoryOffset, m.CemHistoryLines) : null,
                CommittedLines.CemRecord, 0, cancellationToken);

    /// <summary>The newest committed checkpoint's manifest (whose lines may not be appended yet), or null when it cannot be read.</summary>
    private async Task<CheckpointManifest?> NewestManifestAsync(CancellationToken cancellationToken)
    {
        if (State.Checkpoints.Count == 0) return null;
        try
        {
            return await store.ReadAsync(RunBlobs.Manifest(RunId, State.Checkpoints[^1].Folder), cancellationToken) is { } blob
                ? GrainJson.Deserialize<CheckpointManifest>(blob.Content)
                : null;
        }
        catch (Exception e) when (e is JsonException or InvalidDataException or BlobUnreadableException)
        {
            return null;
        }
    }

    public async Task<RunView?> RequestAsync(RunDesire desired, CancellationToken cancellationToken)
    {
        if (!state.RecordExists) return null;
        if (desired == RunDesire.Run && State.Status == RunStatus.Failed && !Training)
        {
            // A failed run tried again: from its last checkpoint, its sweep unfinished until it ends anew.
            await WriteStateAsync(s => s with { Desired = RunDesire.Run, Status = RunStatus.Pending, Error = null, CrashedStarts = 0 }, TimeSpan.FromSeconds(30));
            if (!string.IsNullOrEmpty(State.SweepId)) await GrainFactory.GetGrain<ISweepGrain>(State.SweepId).RunReopenedAsync(RunId, cancellationToken);
            BeginIfDue();
            return View();
        }
        if (State.Ended || State.Desired == desired && (desired != RunDesire.Run || Training)) return View();
        if (desired == RunDesire.Run)
        {
            await WriteStateAsync(s => s with { Desired = RunDesire.Run, Status = s.Status == RunStatus.Paused ? RunStatus.Pending : s.Status }, TimeSpan.FromSeconds(30));
            BeginIfDue();
            return View();
        }
        if (Training && _trainer!.Activity == "training")
        {
            // The trainer sees it at its next iteration boundary, checkpoints and records the status.
            await WriteStateAsync(s => s with { Desired = desired }, TimeSpan.FromSeconds(30));
            _trainer.Interrupt();
            return View();
        }
        if (Training)
        {
            _trainer!.Release(); // waiting for room: nothing to checkpoint
            await _training!;
        }
        var status = desired == RunDesire.Pause ? RunStatus.Paused : RunStatus.Cancelled;
        await WriteStateAsync(s => s with { Desired = desired, Status = status }, TimeSpan.FromSeconds(30));
        if (status == RunStatus.Cancelled && !string.IsNullOrEmpty(State.SweepId))
            await GrainFactory.GetGrain<ISweepGrain>(State.SweepId).RunEndedAsync(RunId, new RunEnd(RunStatus.Cancelled, null, null), cancellationToken);
        return View();
    }

    public Task<RunView?> WakeAsync(CancellationToken cancellationToken)
    {
        if (!state.RecordExists) return Task.FromResult<RunView?>(null);
        BeginIfDue();
        return Task.FromResult<RunView?>(View());
    }

    /// <summary>Starts the trainer when the run should train and does not yet: it waits for room, then trains.</summary>
    private void BeginIfDue()
    {
        if (Training || !state.RecordExists || State.Ended || State.Desired != RunDesire.Run || !slots.Enabled) return;
        if (options.Value.OnlySweep is { } only && only != State.SweepId) return; // this silo trains one sweep only
        if (State.Gpu && slots.Gpus == 0)
        {
            // Placed here without the sweep's GPU hint (a query activated it): let a later wake place it on a GPU silo.
            logger.LogInformation("Run {RunId} needs a GPU and silo {Silo} has none; deactivating so that it is placed on a GPU silo", RunId, SiloName);
            DeactivateOnIdle();
            return;
        }
        if (MemoryNeeded > slots.MemoryBytes)
        {
            // Likewise a run whose memory floor this silo does not offer (a query placed it here, or silos differ).
            logger.LogInformation("Run {RunId} needs at least {Floor} of memory and silo {Silo} offers {Memory}; deactivating so that it is placed on a silo with enough", RunId, MemoryFloor.Gib(MemoryNeeded), SiloName, MemoryFloor.Gib(slots.MemoryBytes));
            DeactivateOnIdle();
            return;
        }
        _trainer = new RunTrainer(this, store, slots, options.Value, logger);
        DelayDeactivation(Timeout.InfiniteTimeSpan);
        _training = TrainAsync(_trainer);
        _rebalance ??= this.RegisterGrainTimer(MoveIfRoomElsewhereAsync, new GrainTimerCreationOptions(RebalancePeriod, RebalancePeriod));
    }

    private long? _memoryNeeded;

    /// <summary>The run's memory floor (0 when its spec cannot be read: the trainer fails it with that reason).</summary>
    private long MemoryNeeded => _memoryNeeded ??= ReadFloor();

    private long ReadFloor()
    {
        try
        {
            return JsonSerializer.Deserialize<RunSpec>(State.SpecJson, GrainJson.Options) is { } spec && spec.Validate().Count == 0 ? MemoryFloor.Of(spec).Bytes : 0;
        }
        catch (JsonException)
        {
            return 0;
        }
    }

    private static readonly TimeSpan RebalancePeriod = TimeSpan.FromSeconds(2);

    /// <summary>
    /// While the run waits for room here, it moves (Orleans migration, with a placement hint) to a
    /// silo that has room now — one that joined after it was placed, or freed up first.
    /// </summary>
    private async Task MoveIfRoomElsewhereAsync(CancellationToken cancellationToken)
    {
        if (!Training || _trainer!.Activity != "queued") return;
        var target = await capacity.FindRoomElsewhereAsync(silo.SiloAddress, RunId, State.Cores, State.Gpu, MemoryNeeded);
        if (target is null || !Training || _trainer.Activity != "queued") return;
        logger.LogInformation("Run {RunId}: waiting for room on {Silo}; moving to {Target}, which has room", RunId, SiloName, target);
        RequestContext.Set(IPlacementDirector.PlacementHintKey, target);
        MigrateOnIdle();
        RequestContext.Remove(IPlacementDirector.PlacementHintKey);
    }

    private async Task TrainAsync(RunTrainer trainer)
    {
        TrainerOutcome outcome;
        try
        {
            outcome = await trainer.RunAsync();
        }
        catch (Exception e)
        {
            // Even recording the failure failed (storage down for good, or this activation is stale).
            logger.LogError(e, "Run {RunId}: the trainer ended with an error", RunId);
            outcome = TrainerOutcome.StorageFailed;
        }
        _rebalance?.Dispose();
        _rebalance = null;
        DelayDeactivation(TimeSpan.Zero);
        logger.Log(outcome == TrainerOutcome.Completed ? LogLevel.Debug : LogLevel.Information, "Run {RunId}: trainer ended ({Outcome}) at iteration {Iteration}", RunId, outcome, trainer.Progress.Iteration);
        if (outcome is TrainerOutcome.Stale or TrainerOutcome.StorageFailed) DeactivateOnIdle();
    }

    private RunView View()
    {
        var progress = _trainer?.Progress;
        var live = new RunLive
        {
            Activity = Training ? _trainer!.Activity
                : State.Ended ? "idle"
                : State.Gpu && slots.Gpus == 0 ? "needs-gpu"
                : state.RecordExists && MemoryNeeded > slots.MemoryBytes ? "needs-memory"
                : "idle",
            Silo = SiloName,
            Iteration = Training ? progress!.Iteration : State.Iteration,
            LastIterationSeconds = progress?.LastIterationSeconds ?? 0,
            LastMeanScore = progress?.LastMetrics?.MeanScore,
            LastCvarScore = progress?.LastMetrics?.CvarScore,
            LastCemPhi = progress?.LastMetrics?.CemPhi,
            Phase = Training ? progress?.Phase : null,
        };
        return new RunView(State, live);
    }

    public async Task WriteStateAsync(Func<RunState, RunState> change, TimeSpan retryFor)
    {
        await _writeGate.WaitAsync();
        try
        {
            var token = $"{ActivationTag}:{++_writes}";
            var durable = state.State;
            var watch = Stopwatch.StartNew();
            for (int attempt = 0; ; attempt++)
            {
                state.State = change(durable) with { WriteToken = token, Updated = DateTimeOffset.UtcNow };
                try
                {
                    await state.WriteStateAsync();
                    return;
                }
                catch (InconsistentStateException) when (attempt > 0)
                {
                    // An earlier attempt may have landed without an answer reaching us.
                    await state.ReadStateAsync();
                    if (state.State.WriteToken == token) return;
                    throw;
                }
                catch (Exception e) when (StorageFaults.IsTransient(e) && watch.Elapsed < retryFor)
                {
                    state.State = durable;
                    var delay = TimeSpan.FromSeconds(Math.Min(30, 0.5 * Math.Pow(2, Math.Min(attempt, 6))));
                    logger.LogWarning("Run {RunId}: writing its state failed ({Message}); retrying in {Delay}", RunId, e.Message, delay);
                    await Task.Delay(delay);
                }
                catch
                {
                    state.State = durable;
                    throw;
                }
            }
        }
        finally
        {
            _writeGate.Release();
        }
    }
}
