using MetaRl.Grains.Interfaces.State;

namespace MetaRl.Grains.Interfaces.Contracts;

/// <summary>One fixed task of a run: parameters, evaluation scores, replay segments.</summary>
public interface ITaskGrain : IGrain
{
    Task<TaskState?> GetAsync(CancellationToken cancellationToken);

    /// <summary>Records one evaluation's scores of this task.</summary>
    Task RecordScoreAsync(TaskScore score, CancellationToken cancellationToken);

    /// <summary>Appends a replay segment (a new blob; existing segments are never rewritten).</summary>
    Task<int> AppendReplaySegmentAsync(ReadOnlyMemory<byte> segment, long transitions, CancellationToken cancellationToken);

    Task<byte[]?> ReadReplaySegmentAsync(int segment, CancellationToken cancellationToken);
}
