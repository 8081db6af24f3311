using System.Diagnostics;
using System.Security.Cryptography;
using MetaRl.Grains.Interfaces;
using MetaRl.Grains.Interfaces.State;
using MetaRl.Grains.Telemetry;
using MetaRl.Storage;

namespace MetaRl.Grains.Execution;

/// <summary>
/// Writes and reads a run's checkpoints. A checkpoint is committed in three steps — its parts, then
/// its manifest (each part's length and sha256), then the run state pointing at it (by the lease
/// holder, conditionally) — so a crash between any two steps leaves the previous checkpoint valid.
/// Reading verifies every part and falls back to the previous checkpoint when one is truncated or
/// corrupt.
/// </summary>
public sealed class Checkpointer(IBlobStore store, string runId, string writer)
{
    /// <summary>Parts are at most this large (state beyond it is split).</summary>
    public const int PartSize = 8 * 1024 * 1024;

    public async Task<CheckpointManifest> WriteAsync(int iteration, byte[] state, CheckpointManifest template, CancellationToken ct)
    {
        using var activity = MetaRlTelemetry.Grains.StartActivity("checkpoint.write");
        activity?.SetTag("run.id", runId);
        activity?.SetTag("run.iteration", iteration);
        var watch = Stopwatch.StartNew();
        var parts = new List<CheckpointPart>();
        int count = Math.Max(1, (state.Length + PartSize - 1) / PartSize);
        for (int k = 0; k < count; k++)
        {
            var slice = state.AsMemory(k * PartSize, Math.Min(PartSize, state.Length - k * PartSize));
            var name = $"run.{k:D3}.bin";
            await store.WriteAsync(StoragePaths.CheckpointPart(runId, iteration, name), slice, WriteCondition.None, null, ct).ConfigureAwait(false);
            parts.Add(new CheckpointPart(name, slice.Length, Convert.ToHexString(SHA256.HashData(slice.Span)).ToLowerInvariant()));
        }
        var manifest = template with { Iteration = iteration, Parts = parts, WrittenBy = writer, Written = DateTimeOffset.UtcNow };
        await store.WriteAsync(StoragePaths.CheckpointManifest(runId, iteration), manifest, WriteCondition.None, null, ct).ConfigureAwait(false);
        MetaRlTelemetry.CheckpointBytes.Add(state.Length);
        MetaRlTelemetry.CheckpointSeconds.Record(watch.Elapsed.TotalSeconds);
        return manifest;
    }

    /// <summary>The newest committed checkpoint whose parts are intact (newest first through <paramref name="committed"/>), or null.</summary>
    public async Task<(CheckpointManifest Manifest, byte[] State)?> LoadLatestValidAsync(IReadOnlyList<int> committed, Action<string>? log, CancellationToken ct)
    {
        using var activity = MetaRlTelemetry.Grains.StartActivity("checkpoint.restore");
        activity?.SetTag("run.id", runId);
        foreach (var iteration in committed.OrderByDescending(i => i))
        {
            var problem = await TryLoadAsync(iteration, ct).ConfigureAwait(false);
            if (problem.Loaded is { } loaded)
            {
                activity?.SetTag("run.iteration", iteration);
                return loaded;
            }
            log?.Invoke($"checkpoint {iteration} of {runId} is unusable ({problem.Reason}); trying the previous one");
        }
        return null;
    }

    private async Task<((CheckpointManifest, byte[])? Loaded, string Reason)> TryLoadAsync(int iteration, CancellationToken ct)
    {
        GrainStorage.Versioned<CheckpointManifest>? manifest;
        try
        {
            manifest = await store.ReadAsync<CheckpointManifest>(StoragePaths.CheckpointManifest(runId, iteration), ct).ConfigureAwait(false);
        }
        catch (Exception e) when (e is System.Text.Json.JsonException or InvalidDataException)
        {
            return (null, $"manifest unreadable: {e.Message}");
        }
        if (manifest is null) return (null, "manifest missing");
        var buffer = new MemoryStream();
        foreach (var part in manifest.Value.Parts)
        {
            var blob = await store.ReadAsync(StoragePaths.CheckpointPart(runId, iteration, part.Name), ct).ConfigureAwait(false);
            if (blob is null) return (null, $"part {part.Name} missing");
            if (blob.Content.Length != part.Length) return (null, $"part {part.Name} has {blob.Content.Length} bytes, the manifest says {part.Length}");
            var sha = Convert.ToHexString(SHA256.HashData(blob.Content)).ToLowerInvariant();
            if (sha != part.Sha256) return (null, $"part {part.Name} fails its sha256");
            buffer.Write(blob.Content);
        }
        return ((manifest.Value, buffer.ToArray()), "");
    }

    /// <summary>Deletes checkpoints that are not among <paramref name="keep"/> (older ones, and leftovers of owners that died before committing).</summary>
    public async Task PruneAsync(IReadOnlyCollection<int> keep, CancellationToken ct)
    {
        var prefix = StoragePaths.CheckpointPrefix(runId);
        var doomed = new List<string>();
        await foreach (var item in store.ListAsync(prefix, ct).ConfigureAwait(false))
        {
            var rest = item.Path[prefix.Length..];
            var slash = rest.IndexOf('/');
            if (slash > 0 && int.TryParse(rest[..slash], out var iteration) && !keep.Contains(iteration)) doomed.Add(item.Path);
        }
        foreach (var path in doomed) await store.DeleteAsync(path, WriteCondition.None, null, ct).ConfigureAwait(false);
    }
}
