using System.Text.Json;
using MetaRl.Grains.Hosting;
using MetaRl.Grains.Interfaces;
using MetaRl.Grains.Interfaces.Reports;
using MetaRl.Grains.Interfaces.Specs;
using MetaRl.Grains.Interfaces.State;
using MetaRl.Grains.Placement;
using MetaRl.Grains.Reporting;
using MetaRl.Grains.Telemetry;
using MetaRl.Learning.Training;
using MetaRl.Storage;
using Orleans.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace MetaRl.Grains;

/// <summary>
/// A sweep: expands its spec into runs with deterministic ids (a second submission of the same spec
/// only wakes them; a different spec under the name is refused), starts them, and keeps a reminder
/// while any run is unfinished — its watchdog, which wakes every unfinished run so that one whose
/// silo died resumes elsewhere. Runs tell it how they ended.
/// </summary>
public sealed class SweepGrain(
    [PersistentState("sweep")] IPersistentState<SweepState> state,
    IBlobStore store,
    ClusterCapacity capacity,
    IOptions<TrainingOptions> options,
    ILogger<SweepGrain> logger) : Grain, ISweepGrain, IRemindable
{
    private const string Watchdog = "watchdog";

    /// <summary>Runs started or woken at once (each is a grain call that may activate and write).</summary>
    private const int Parallelism = 64;

    /// <summary>How long a submission waits for its runs to start before it answers.</summary>
    private static readonly TimeSpan StartWait = TimeSpan.FromSeconds(15);

    private readonly SemaphoreSlim _writeGate = new(1, 1);

    private string Id => this.GetPrimaryKeyString();

    public async Task<SubmitResult> SubmitAsync(SweepSpec spec, CancellationToken cancellationToken)
    {
        using var activity = MetaRlTelemetry.Grains.StartActivity("sweep.expand");
        activity?.SetTag("sweep.id", Id);
        if (spec.Name != Id) return new(SubmitOutcome.Invalid, [$"sweep.name '{spec.Name}' does not match the sweep grain '{Id}'"], null);
        IReadOnlyList<SweepExpansion.ExpandedRun> runs;
        try
        {
            runs = SweepExpansion.Expand(spec);
        }
        catch (SpecException e)
        {
            return new(SubmitOutcome.Invalid, e.Problems, null);
        }
        activity?.SetTag("sweep.runs", runs.Count);
        var hash = SweepExpansion.Hash(spec);
        if (state.RecordExists)
        {
            if (state.State.SpecHash != hash)
                return new(SubmitOutcome.Conflict, [$"sweep '{Id}' already exists with a different spec; choose another name (re-submitting the same spec is allowed)"], state.State);
            // The first submission may have stopped right after storing the sweep: finish what it did not.
            _registered = false;
            await WakeAsync(cancellationToken);
            await EnsureRegisteredAsync(cancellationToken);
            return new(SubmitOutcome.Unchanged, [], state.State);
        }
        var silos = await capacity.GetAsync(capacity.ActiveSilos, TimeSpan.Zero);
        if (SweepPlaceability.Problems(spec, runs, silos.Select(s => s.View).ToList()) is { Count: > 0 } unplaceable)
            return new(SubmitOutcome.Unplaceable, unplaceable, null);

        state.State = new SweepState { Id = Id, Spec = spec, SpecHash = hash, Submitted = DateTimeOffset.UtcNow, Runs = runs.Select(r => r.Run).ToList() };
        // Indexed before it is stored: whatever stops this submission from here on, the catalog lists what was stored.
        await SweepIndex.AddAsync(store, Id, state.State.Submitted, cancellationToken);
        try
        {
            await state.WriteStateAsync(cancellationToken);
        }
        catch (InconsistentStateException)
        {
            // Another activation (a second process on the same folder, or a silo that has not yet
            // seen this one die) stored the sweep first: that submission wins, this one wrote nothing.
            await state.ReadStateAsync(cancellationToken);
            if (state.RecordExists && state.State.SpecHash == hash) return new(SubmitOutcome.Unchanged, [], state.State);
            return new(SubmitOutcome.Conflict, [$"sweep '{Id}' was just submitted with a different spec by someone else; choose another name (re-submitting the same spec is allowed)"], state.RecordExists ? state.State : null);
        }
        await this.RegisterOrUpdateReminder(Watchdog, options.Value.WatchdogPeriod, options.Value.WatchdogPeriod);
        await TellCatalogAsync(cancellationToken);
        _registered = true;
        // A very large sweep keeps starting its runs after this call returns (well inside the caller's response timeout).
        var starting = StartAsync(runs, CancellationToken.None);
        if (await Task.WhenAny(starting, Task.Delay(StartWait, cancellationToken)) == starting) await starting;
        else
        {
            logger.LogInformation("Sweep {SweepId}: {Runs} runs; still starting them after {Wait}", Id, runs.Count, StartWait);
            _ = starting.ContinueWith(t => logger.LogError(t.Exception, "Sweep {SweepId}: starting its runs failed; the watchdog tries again", Id), TaskContinuationOptions.OnlyOnFaulted);
        }
        return new(SubmitOutcome.Created, [], state.State);
    }

    public Task<SweepState?> GetAsync(CancellationToken cancellationToken) => Task.FromResult(state.RecordExists ? state.State : null);

    public async Task<List<RunView>> RunsAsync(CancellationToken cancellationToken)
    {
        if (!state.RecordExists) return [];
        var views = new RunView?[state.State.Runs.Count];
        var unreadable = new string?[views.Length];
        await Parallel.ForEachAsync(Enumerable.Range(0, views.Length), new ParallelOptions { MaxDegreeOfParallelism = Parallelism, CancellationToken = cancellationToken, TaskScheduler = TaskScheduler.Current },
            async (i, ct) =>
            {
                try
                {
                    views[i] = await GrainFactory.GetGrain<IMetaPolicyGrain>(state.State.Runs[i].RunId).GetAsync(ct);
                }
                catch (Exception e) when (StoredData.IsUnreadable(e))
                {
                    // One run whose stored state cannot be read does not hide the others.
                    unreadable[i] = StoredData.Describe(e);
                }
            });
        return views.Select((v, i) => v ?? new RunView(
            new RunState { Id = state.State.Runs[i].RunId, SweepId = Id, Method = state.State.Runs[i].Method, Alpha = state.State.Runs[i].Alpha, Seed = state.State.Runs[i].Seed, Error = unreadable[i] },
            new RunLive { Activity = unreadable[i] is null ? "not created" : StoredData.Unreadable })).ToList();
    }

    public async Task<SweepReportData?> ReportAsync(CancellationToken cancellationToken)
    {
        if (!state.RecordExists) return null;
        var runs = await RunsAsync(cancellationToken);
        var metrics = new Dictionary<string, List<string>>();
        var problems = runs.Where(r => r.Live.Activity == StoredData.Unreadable).Select(r => $"run {r.State.Id}: {r.State.Error}").ToList();
        foreach (var run in runs.Where(r => r.Live.Activity != StoredData.Unreadable))
        {
            try
            {
                var lines = await GrainFactory.GetGrain<IMetaPolicyGrain>(run.State.Id).MetricsAsync(0, cancellationToken);
                metrics[run.State.Id] = lines.Lines;
                if (lines.Problem is { } damaged) problems.Add($"run {run.State.Id}: {damaged}; its curve stops before the damage");
            }
            catch (Exception e) when (StoredData.IsUnreadable(e))
            {
                problems.Add($"run {run.State.Id}: its metric lines are unreadable: {StoredData.Describe(e)}");
            }
        }
        return await SweepReport.BuildAsync(store, state.State, runs, metrics, problems, cancellationToken);
    }

    public async Task WakeAsync(CancellationToken cancellationToken)
    {
        if (!state.RecordExists || state.State.Complete) return;
        await EnsureRegisteredAsync(cancellationToken);
        var unfinished = state.State.Runs.Where(r => !state.State.Ended.ContainsKey(r.RunId)).Select(r => r.RunId).ToHashSet();
        await StartAsync(SweepExpansion.Expand(state.State.Spec).Where(r => unfinished.Contains(r.Run.RunId)).ToList(), cancellationToken);
    }

    public async Task RunEndedAsync(string runId, RunEnd end, CancellationToken cancellationToken)
    {
        if (!state.RecordExists || !state.State.Runs.Any(r => r.RunId == runId)) return;
        if (state.State.Ended.TryGetValue(runId, out var known) && known == end) return;
        await RecordEndsAsync([(runId, end)], cancellationToken);
    }

    public async Task RunReopenedAsync(string runId, CancellationToken cancellationToken)
    {
        if (!state.RecordExists || !state.State.Ended.ContainsKey(runId)) return;
        await WriteEndedAsync(all => all.Remove(runId), cancellationToken);
        await this.RegisterOrUpdateReminder(Watchdog, options.Value.WatchdogPeriod, options.Value.WatchdogPeriod);
        await TellCatalogAsync(cancellationToken);
    }

    public Task ReceiveReminder(string reminderName, TickStatus status) => reminderName == Watchdog ? WakeAsync(CancellationToken.None) : Task.CompletedTask;

    /// <summary>Starts (creating if needed) or wakes each run; runs found ended are recorded. A run that cannot be reached now is left to the watchdog.</summary>
    private async Task StartAsync(IReadOnlyList<SweepExpansion.ExpandedRun> runs, CancellationToken cancellationToken)
    {
        var ended = new List<(string, RunEnd)>();
        var unstarted = new List<(string RunId, string Message)>();
        var spec = state.State.Spec;
        long memory = runs.Count == 0 ? 0 : MemoryFloor.Of(runs[0].Spec).Bytes; // runs differ in method, α and seed only
        await Parallel.ForEachAsync(runs, new ParallelOptions { MaxDegreeOfParallelism = Parallelism, CancellationToken = cancellationToken, TaskScheduler = TaskScheduler.Current }, async (r, ct) =>
        {
            bool gpu = NeedsGpu(spec, r);
            var definition = new RunDefinition(r.Run.RunId, Id, JsonSerializer.Serialize(r.Spec, GrainJson.Options), r.Run.Method, r.Run.Alpha, r.Run.Seed,
                r.Spec.Iterations, Math.Max(1, spec.Resources.Cores), gpu);
            RequestContext.Set(TrainingPlacement.GpuKey, gpu);
            RequestContext.Set(TrainingPlacement.CoresKey, definition.Cores);
            RequestContext.Set(TrainingPlacement.MemoryKey, memory);
            try
            {
                var view = await GrainFactory.GetGrain<IMetaPolicyGrain>(r.Run.RunId).StartAsync(definition, ct);
                if (view.State.Ended) ended.Add((r.Run.RunId, new RunEnd(view.State.Status, view.State.Summary, view.State.Error)));
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // Usually every run at once (a silo stopping, storage away): one warning below, each run's reason at debug level.
                logger.LogDebug("Sweep {SweepId}: run {RunId} could not be started now ({Message})", Id, r.Run.RunId, e.Message);
                lock (unstarted) unstarted.Add((r.Run.RunId, e.Message));
            }
            finally
            {
                RequestContext.Clear();
            }
        });
        if (unstarted.Count > 0)
            logger.LogWarning("Sweep {SweepId}: {Count} of {Total} runs could not be started now (the first, {RunId}: {Message}); the watchdog tries again",
                Id, unstarted.Count, runs.Count, unstarted[0].RunId, unstarted[0].Message);
        var news = ended.Where(e => !state.State.Ended.TryGetValue(e.Item1, out var known) || known != e.Item2).ToList();
        if (news.Count > 0) await RecordEndsAsync(news, cancellationToken);
    }

    private async Task RecordEndsAsync(IReadOnlyList<(string RunId, RunEnd End)> ends, CancellationToken cancellationToken)
    {
        await WriteEndedAsync(all =>
        {
            foreach (var (runId, end) in ends) all[runId] = end;
        }, cancellationToken);
        await TellCatalogAsync(cancellationToken);
        if (state.State.Complete)
        {
            logger.LogInformation("Sweep {SweepId}: every run ended ({Completed} completed)", Id, state.State.Completed);
            if (await this.GetReminder(Watchdog) is { } reminder) await this.UnregisterReminder(reminder);
        }
    }

    /// <summary>Changes the ended runs and stores the sweep. Writes are serialised: a large sweep's runs may still be starting (and reporting ends) while calls arrive.</summary>
    private async Task WriteEndedAsync(Action<Dictionary<string, RunEnd>> change, CancellationToken cancellationToken)
    {
        await _writeGate.WaitAsync(cancellationToken);
        try
        {
            var all = new Dictionary<string, RunEnd>(state.State.Ended);
            change(all);
            state.State = state.State with { Ended = all };
            await state.WriteStateAsync(cancellationToken);
        }
        finally
        {
            _writeGate.Release();
        }
    }

    private Task TellCatalogAsync(CancellationToken cancellationToken) =>
        GrainFactory.GetGrain<ISweepCatalogGrain>(ISweepCatalogGrain.Key).UpsertAsync(SweepCatalogGrain.EntryOf(state.State), cancellationToken);

    /// <summary>Whether this activation made sure that the stored sweep is indexed, in the catalog and (unfinished) watched.</summary>
    private bool _registered;

    /// <summary>
    /// What a submission does after storing the sweep — index it, register the watchdog, tell the
    /// catalog — done again (each is idempotent) when the sweep is woken or submitted again, in case
    /// that submission stopped in between. Once per activation.
    /// </summary>
    private async Task EnsureRegisteredAsync(CancellationToken cancellationToken)
    {
        if (_registered || !state.RecordExists) return;
        await SweepIndex.AddAsync(store, Id, state.State.Submitted, cancellationToken);
        if (!state.State.Complete && await this.GetReminder(Watchdog) is null)
            await this.RegisterOrUpdateReminder(Watchdog, options.Value.WatchdogPeriod, options.Value.WatchdogPeriod);
        await TellCatalogAsync(cancellationToken);
        _registered = true;
    }

    private static bool NeedsGpu(SweepSpec spec, SweepExpansion.ExpandedRun run) => SweepPlaceability.NeedsGpu(spec, run);
}
