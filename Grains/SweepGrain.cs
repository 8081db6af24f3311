using MetaRl.Grains.Interfaces;
using MetaRl.Grains.Interfaces.Contracts;
using MetaRl.Grains.Interfaces.Specs;
using MetaRl.Grains.Interfaces.State;
using MetaRl.Grains.Telemetry;
using MetaRl.Storage;

namespace MetaRl.Grains;

/// <summary>A sweep whose spec was refused because another spec already holds its name.</summary>
public sealed class SweepConflictException(string sweepId)
    : Exception($"sweep '{sweepId}' already exists with a different spec; choose another name (re-submitting the same spec is allowed)");

/// <summary>
/// The sweep grain: expands its spec into runs with deterministic ids (idempotently: a second
/// submission of the same spec changes nothing, a partial one is completed) and gathers the runs'
/// summaries as they finish.
/// </summary>
public sealed class SweepGrain(IBlobStore store, GrainKey key) : ISweepGrain
{
    private const int ParallelWrites = 64;

    public GrainKey Key { get; } = key;
    private string Path => StoragePaths.Sweep(Key.Id);

    public async Task<SweepState> SubmitAsync(SweepSpec spec, CancellationToken cancellationToken)
    {
        using var activity = MetaRlTelemetry.Grains.StartActivity("sweep.expand");
        activity?.SetTag("sweep.id", Key.Id);
        if (spec.Name != Key.Id) throw new SpecException([$"sweep.name '{spec.Name}' does not match the sweep grain '{Key.Id}'"]);
        var runs = SweepExpansion.Expand(spec); // every problem found before anything is written
        var hash = SweepExpansion.Hash(spec);
        activity?.SetTag("sweep.runs", runs.Count);

        var existing = await store.ReadAsync<SweepState>(Path, cancellationToken).ConfigureAwait(false);
        if (existing is not null && existing.Value.SpecHash != hash) throw new SweepConflictException(Key.Id);

        // Runs first, then the sweep: a submission cut short is completed by submitting again.
        var preexisting = new System.Collections.Concurrent.ConcurrentBag<string>();
        await Parallel.ForEachAsync(runs, new ParallelOptions { MaxDegreeOfParallelism = ParallelWrites, CancellationToken = cancellationToken }, async (r, ct) =>
        {
            var state = new RunState
            {
                Id = r.Run.RunId,
                SweepId = Key.Id,
                SpecJson = System.Text.Json.JsonSerializer.Serialize(r.Spec, GrainJson.Options),
                Method = r.Run.Method,
                Alpha = r.Run.Alpha,
                Seed = r.Run.Seed,
                Iterations = r.Spec.Iterations,
                Cores = spec.Resources.Cores,
                Gpu = spec.Resources.Gpu,
                Updated = DateTimeOffset.UtcNow,
            };
            if (await store.CreateIfMissingAsync(StoragePaths.Run(r.Run.RunId), state, ct).ConfigureAwait(false))
                await store.CreateIfMissingAsync(StoragePaths.RunnableMarker(r.Run.RunId, spec.Resources.Gpu), new { r.Run.RunId, spec.Resources.Cores }, ct).ConfigureAwait(false);
            else preexisting.Add(r.Run.RunId);
        }).ConfigureAwait(false);

        if (existing is not null) return existing.Value;
        var sweep = new SweepState { Id = Key.Id, Spec = spec, SpecHash = hash, Submitted = DateTimeOffset.UtcNow, Runs = runs.Select(r => r.Run).ToList() };
        if (!await store.CreateIfMissingAsync(Path, sweep, cancellationToken).ConfigureAwait(false))
        {
            var raced = await store.ReadAsync<SweepState>(Path, cancellationToken).ConfigureAwait(false);
            return raced!.Value.SpecHash == hash ? raced.Value : throw new SweepConflictException(Key.Id);
        }
        return await RecordFinishedAsync(preexisting, cancellationToken).ConfigureAwait(false) ?? sweep;
    }

    /// <summary>
    /// Runs that existed before this sweep's state (a submission cut short, then a silo ran them) may have
    /// finished while there was no sweep to tell: their results are taken from their result blobs.
    /// </summary>
    private async Task<SweepState?> RecordFinishedAsync(IEnumerable<string> runIds, CancellationToken cancellationToken)
    {
        SweepState? latest = null;
        foreach (var runId in runIds)
        {
            var document = await store.ReadAsync<Execution.RunResultDocument>(StoragePaths.RunResult(runId), cancellationToken).ConfigureAwait(false);
            if (document is null) continue;
            await RecordResultAsync(document.Value.ToSummary(), cancellationToken).ConfigureAwait(false);
            latest = await GetAsync(cancellationToken).ConfigureAwait(false);
        }
        return latest;
    }

    public async Task<SweepState?> GetAsync(CancellationToken cancellationToken) =>
        (await store.ReadAsync<SweepState>(Path, cancellationToken).ConfigureAwait(false))?.Value;

    public async Task RecordResultAsync(RunSummary summary, CancellationToken cancellationToken) =>
        await store.UpdateAsync<SweepState>(Path, s =>
        {
            if (s is null || s.Results.TryGetValue(summary.RunId, out var existing) && existing == summary) return null;
            var results = new Dictionary<string, RunSummary>(s.Results) { [summary.RunId] = summary };
            return s with { Results = results };
        }, cancellationToken).ConfigureAwait(false);
}
