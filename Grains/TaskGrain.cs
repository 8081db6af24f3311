using MetaRl.Grains.Execution;
using MetaRl.Grains.Interfaces;
using MetaRl.Grains.Interfaces.State;
using MetaRl.Storage;

namespace MetaRl.Grains;

/// <summary>One fixed task of a run (key "{runId}.{taskId}"): parameters and scores; replay data as append-only segment blobs (never rewritten).</summary>
public sealed class TaskGrain(
    [PersistentState("task")] IPersistentState<TaskState> state,
    IBlobStore store) : Grain, ITaskGrain
{
    public Task<TaskState?> GetAsync(CancellationToken cancellationToken) => Task.FromResult(state.RecordExists ? state.State : null);

    public async Task CreateAsync(TaskState task, CancellationToken cancellationToken)
    {
        if ($"{task.RunId}.{task.TaskId}" != this.GetPrimaryKeyString())
            throw new ArgumentException($"task {task.RunId}.{task.TaskId} given to the task grain {this.GetPrimaryKeyString()}", nameof(task));
        if (state.RecordExists) return;
        state.State = task;
        await state.WriteStateAsync(cancellationToken);
    }

    public async Task RecordScoreAsync(TaskScore score, CancellationToken cancellationToken)
    {
        if (!state.RecordExists) throw new InvalidOperationException($"task grain {this.GetPrimaryKeyString()} does not exist");
        if (state.State.Scores.Contains(score)) return;
        state.State = state.State with { Scores = [.. state.State.Scores, score] };
        await state.WriteStateAsync(cancellationToken);
    }

    public async Task PutReplaySegmentAsync(long number, byte[] segment, long transitions, CancellationToken cancellationToken)
    {
        if (!state.RecordExists) throw new InvalidOperationException($"task grain {this.GetPrimaryKeyString()} does not exist");
        if (number < 0) throw new ArgumentOutOfRangeException(nameof(number), number, "replay segment numbers start at 0");
        var s = state.State;
        bool isNew = number >= s.ReplayNextSegment || s.ReplaySkipped.Contains(number);
        // The blob first (a leftover of a crash at the same number is simply replaced), then the count.
        await store.WriteAsync(RunBlobs.ReplaySegment(s.RunId, s.TaskId, number), segment, WriteCondition.None, cancellationToken);
        var skipped = s.ReplaySkipped.Where(k => k != number).ToList();
        for (long k = s.ReplayNextSegment; k < number; k++) skipped.Add(k);
        state.State = isNew
            ? s with
            {
                ReplaySegments = s.ReplaySegments + 1,
                ReplayTransitions = s.ReplayTransitions + transitions,
                ReplayNextSegment = Math.Max(s.ReplayNextSegment, number + 1),
                ReplaySkipped = skipped,
                ReplaySegmentWrites = s.ReplaySegmentWrites + 1,
            }
            : s with { ReplaySegmentWrites = s.ReplaySegmentWrites + 1 };
        await state.WriteStateAsync(cancellationToken);
    }

    public async Task<byte[]?> ReadReplaySegmentAsync(long number, CancellationToken cancellationToken)
    {
        if (!state.RecordExists || number < 0 || number >= state.State.ReplayNextSegment || state.State.ReplaySkipped.Contains(number)) return null;
        return (await store.ReadAsync(RunBlobs.ReplaySegment(state.State.RunId, state.State.TaskId, number), cancellationToken))?.Content;
    }
}
