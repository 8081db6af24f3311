using MetaRl.Grains.Interfaces;
using MetaRl.Grains.Interfaces.Contracts;
using MetaRl.Grains.Interfaces.State;
using MetaRl.Storage;

namespace MetaRl.Grains;

/// <summary>One fixed task of a run: its parameters and scores; replay data as append-only segments (never rewritten).</summary>
public sealed class TaskGrain(IBlobStore store, GrainKey key, string runId, string taskId) : ITaskGrain
{
    public GrainKey Key { get; } = key;
    private string Path => StoragePaths.Task(runId, taskId);

    public async Task<TaskState?> GetAsync(CancellationToken cancellationToken) =>
        (await store.ReadAsync<TaskState>(Path, cancellationToken).ConfigureAwait(false))?.Value;

    /// <summary>Creates the task's record (idempotent).</summary>
    public Task<bool> CreateAsync(TaskState state, CancellationToken cancellationToken) => store.CreateIfMissingAsync(Path, state, cancellationToken);

    public async Task RecordScoreAsync(TaskScore score, CancellationToken cancellationToken) =>
        await store.UpdateAsync<TaskState>(Path, s =>
        {
            if (s is null) throw new KeyNotFoundException($"task '{taskId}' of run '{runId}' does not exist");
            if (s.Scores.Contains(score)) return null;
            return s with { Scores = [.. s.Scores, score] };
        }, cancellationToken).ConfigureAwait(false);

    public async Task<int> AppendReplaySegmentAsync(ReadOnlyMemory<byte> segment, long transitions, CancellationToken cancellationToken)
    {
        var state = await GetAsync(cancellationToken).ConfigureAwait(false) ?? throw new KeyNotFoundException($"task '{taskId}' of run '{runId}' does not exist");
        int index = state.ReplaySegments;
        // The segment blob first (a leftover from a crash at the same index is simply replaced), then the count.
        await store.WriteAsync(StoragePaths.TaskReplaySegment(runId, taskId, index), segment, WriteCondition.None, null, cancellationToken).ConfigureAwait(false);
        await store.UpdateAsync<TaskState>(Path, s => s! with { ReplaySegments = index + 1, ReplayTransitions = s.ReplayTransitions + transitions }, cancellationToken).ConfigureAwait(false);
        return index;
    }

    public async Task<byte[]?> ReadReplaySegmentAsync(int segment, CancellationToken cancellationToken)
    {
        var state = await GetAsync(cancellationToken).ConfigureAwait(false);
        if (state is null || segment < 0 || segment >= state.ReplaySegments) return null;
        return (await store.ReadAsync(StoragePaths.TaskReplaySegment(runId, taskId, segment), cancellationToken).ConfigureAwait(false))?.Content;
    }
}
