using System.Diagnostics;
using System.Security.Cryptography;
using MetaRl.Grains.Interfaces.State;
using MetaRl.Grains.Telemetry;
using MetaRl.Storage;
using Microsoft.Extensions.Logging;

namespace MetaRl.Grains.Execution;

/// <summary>
/// Writes and reads a run's checkpoints. A checkpoint is committed in three steps — its parts, then
/// its manifest (each part's length and sha256), then the run's grain state pointing at its folder
/// (written with the provider's ETag check) — so a crash between any two steps leaves the previous
/// checkpoint valid. Reading verifies every part and falls back to the previous checkpoint when one
/// is truncated or corrupt.
/// </summary>
public sealed class Checkpointer(IBlobStore store, string runId, string writer, ILogger logger)
{
    /// <summary>Parts are at most this large (state beyond it is split).</summary>
    public const int PartSize = 8 * 1024 * 1024;

    public async Task<(CheckpointRef Ref, CheckpointManifest Manifest)> WriteAsync(int iteration, byte[] state, CheckpointManifest template, CancellationToken ct)
    {
        using var activity = MetaRlTelemetry.Grains.StartActivity("checkpoint.write");
        activity?.SetTag("run.id", runId);
        activity?.SetTag("run.iteration", iteration);
        var watch = Stopwatch.StartNew();
        var folder = RunBlobs.CheckpointFolder(iteration, writer);
        var parts = new List<CheckpointPart>();
        int count = Math.Max(1, (state.Length + PartSize - 1) / PartSize);
        for (int k = 0; k < count; k++)
        {
            var slice = state.AsMemory(k * PartSize, Math.Min(PartSize, state.Length - k * PartSize));
            var name = $"run.{k:D3}.bin";
            await store.WriteAsync(RunBlobs.Part(runId, folder, name), slice, WriteCondition.None, ct).ConfigureAwait(false);
            parts.Add(new CheckpointPart(name, slice.Length, Convert.ToHexString(SHA256.HashData(slice.Span)).ToLowerInvariant()));
        }
        var manifest = template with { Iteration = iteration, Parts = parts, WrittenBy = writer, Written = DateTimeOffset.UtcNow };
        await store.WriteAsync(RunBlobs.Manifest(runId, folder), GrainJson.Serialize(manifest), WriteCondition.None, ct).ConfigureAwait(false);
        MetaRlTelemetry.CheckpointBytes.Add(state.Length);
        MetaRlTelemetry.CheckpointSeconds.Record(watch.Elapsed.TotalSeconds);
        return (new CheckpointRef(iteration, folder), manifest);
    }

    /// <summary>The newest committed checkpoint whose parts are intact (newest first through <paramref name="committed"/>), or null.</summary>
    public async Task<(CheckpointRef Ref, CheckpointManifest Manifest, byte[] State)?> LoadLatestValidAsync(IReadOnlyList<CheckpointRef> committed, CancellationToken ct)
    {
        await foreach (var loaded in LoadValidAsync(committed, ct).ConfigureAwait(false)) return loaded;
        return null;
    }

    /// <summary>The committed checkpoints whose parts are intact, newest first (a caller that finds one unusable for its own reasons takes the next).</summary>
    public async IAsyncEnumerable<(CheckpointRef Ref, CheckpointManifest Manifest, byte[] State)> LoadValidAsync(IReadOnlyList<CheckpointRef> committed,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct)
    {
        foreach (var checkpoint in committed.OrderByDescending(c => c.Iteration))
        {
            (CheckpointRef, CheckpointManifest, byte[])? found = null;
            using (var activity = MetaRlTelemetry.Grains.StartActivity("checkpoint.restore"))
            {
                activity?.SetTag("run.id", runId);
                activity?.SetTag("run.iteration", checkpoint.Iteration);
                var (loaded, reason) = await TryLoadAsync(checkpoint, ct).ConfigureAwait(false);
                if (loaded is { } l) found = (checkpoint, l.Manifest, l.State);
                else logger.LogWarning("Checkpoint {Folder} of run {RunId} is unusable ({Reason}); trying the previous one", checkpoint.Folder, runId, reason);
            }
            if (found is { } f) yield return f;
        }
    }

    private async Task<((CheckpointManifest Manifest, byte[] State)? Loaded, string Reason)> TryLoadAsync(CheckpointRef checkpoint, CancellationToken ct)
    {
        var blob = await store.ReadAsync(RunBlobs.Manifest(runId, checkpoint.Folder), ct).ConfigureAwait(false);
        if (blob is null) return (null, "manifest missing");
        CheckpointManifest manifest;
        try
        {
            manifest = GrainJson.Deserialize<CheckpointManifest>(blob.Content);
        }
        catch (Exception e) when (e is System.Text.Json.JsonException or InvalidDataException)
        {
            return (null, $"manifest unreadable: {e.Message}");
        }
        var buffer = new MemoryStream();
        foreach (var part in manifest.Parts)
        {
            var content = await store.ReadAsync(RunBlobs.Part(runId, checkpoint.Folder, part.Name), ct).ConfigureAwait(false);
            if (content is null) return (null, $"part {part.Name} missing");
            if (content.Content.Length != part.Length) return (null, $"part {part.Name} has {content.Content.Length} bytes, the manifest says {part.Length}");
            var sha = Convert.ToHexString(SHA256.HashData(content.Content)).ToLowerInvariant();
            if (sha != part.Sha256) return (null, $"part {part.Name} fails its sha256");
            buffer.Write(content.Content);
        }
        return ((manifest, buffer.ToArray()), "");
    }

    /// <summary>Deletes checkpoint folders that are not among <paramref name="keep"/> (older ones, and leftovers of activations that stopped before committing).</summary>
    public async Task PruneAsync(IReadOnlyCollection<CheckpointRef> keep, CancellationToken ct)
    {
        var prefix = RunBlobs.CheckpointsPrefix(runId);
        var kept = keep.Select(k => k.Folder).ToHashSet();
        var doomed = new List<string>();
        await foreach (var item in store.ListAsync(prefix, ct).ConfigureAwait(false))
        {
            var rest = item.Path[prefix.Length..];
            var slash = rest.IndexOf('/');
            if (slash > 0 && !kept.Contains(rest[..slash])) doomed.Add(item.Path);
        }
        foreach (var path in doomed) await store.DeleteAsync(path, WriteCondition.None, ct).ConfigureAwait(false);
    }
}
