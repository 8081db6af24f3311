using MetaRl.Learning.Environments;
using MetaRl.Learning.Common;

namespace MetaRl.Learning.Algorithms.Meta;

/// <summary>
/// A meta-learner: what RoML and CVaR-ML wrap. It adapts to each task of a batch, reports each
/// task's post-adaptation score, and updates its meta-parameters from the tasks with the weights it
/// is given (importance weights from the task sampler, combined with the filter's weights).
/// Everything it needs to continue exactly is in <see cref="SaveState"/>.
/// </summary>
public interface IMetaLearner : IDisposable
{
    string Name { get; }

    ITaskFamily Family { get; }

    IterationReport Iterate(TaskBatch batch, ITaskFilter filter, int iteration);

    /// <summary>
    /// Adapts to each task without learning; the same seed gives the same scores. <paramref name="progress"/>
    /// is told how many tasks are done as they are (learners that adapt to all tasks at once tell it at the end).
    /// </summary>
    EvaluationScores Evaluate(IReadOnlyList<MetaTask> tasks, ulong seed, IProgress<int>? progress = null);

    /// <summary>Meta-parameters only (for keeping the best checkpoint).</summary>
    byte[] SaveParameters();

    void LoadParameters(byte[] parameters);

    /// <summary>Parameters, optimizer state and random streams.</summary>
    TensorArchive SaveState();

    void LoadState(TensorArchive state);
}
