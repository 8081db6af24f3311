using MetaRl.Grains.Interfaces.State;

namespace MetaRl.Grains.Interfaces;

/// <summary>One fixed task of a run, keyed "{runId}.{taskId}": parameters, evaluation scores, replay segments.</summary>
[Alias("metarl.ITaskGrain")]
public interface ITaskGrain : IGrainWithStringKey
{
    [Alias("Get")]
    Task<TaskState?> GetAsync(CancellationToken cancellationToken = default);

    /// <summary>Creates the task's record, scores included (idempotent: an existing record is kept).</summary>
    [Alias("Create")]
    Task CreateAsync(TaskState state, CancellationToken cancellationToken = default);

    /// <summary>Records one evaluation's scores of this task (idempotent).</summary>
    [Alias("RecordScore")]
    Task RecordScoreAsync(TaskScore score, CancellationToken cancellationToken = default);

    /// <summary>
    /// Stores sealed replay segment <paramref name="number"/>: a new one (numbers may skip segments the
    /// buffer dropped before a checkpoint saw them), or one already stored again (a resumed run
    /// regenerates the same bytes; the blob is replaced, nothing is counted twice).
    /// </summary>
    [Alias("PutReplaySegment")]
    Task PutReplaySegmentAsync(long number, byte[] segment, long transitions, CancellationToken cancellationToken = default);

    [Alias("ReadReplaySegment")]
    Task<byte[]?> ReadReplaySegmentAsync(long number, CancellationToken cancellationToken = default);
}
