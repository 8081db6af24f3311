using MetaRl.Learning.Algorithms.Meta;
using MetaRl.Learning.Common;
using MetaRl.Learning.Environments;
using MetaRl.Learning.Robust.Cem;

namespace MetaRl.Learning.Training;

/// <summary>Where a run's training tasks come from; told each batch's scores.</summary>
public interface ITaskSampler
{
    TaskBatch Next(int count);

    void Report(IReadOnlyList<double> scores);
}

/// <summary>The original task distribution, every task with weight 1 (baseline and CVaR-ML).</summary>
public sealed class OriginalTaskSampler(ITaskFamily family, RandomStream random) : ITaskSampler
{
    public TaskBatch Next(int count) => TaskBatch.Uniform(Enumerable.Range(0, count).Select(_ => family.SampleTask(random)).ToList());

    public void Report(IReadOnlyList<double> scores)
    {
    }
}

/// <summary>
/// RoML: training tasks from the dynamic-target CEM, each with its importance weight p_φ0/p_φ (the
/// run decides whether the learner uses it; by default it does not — see RunSpec.RomlLearnerWeights).
/// A CEM batch of N tasks is handed out in meta-batches; once all N scores are back the CEM updates.
/// </summary>
public sealed class RomlTaskSampler(ITaskFamily family, DynamicTargetCem cem) : ITaskSampler
{
    private readonly List<double> _scores = new();
    private int _cursor;

    public DynamicTargetCem Cem { get; } = cem;

    /// <summary>Tasks of the pending CEM batch already handed out, and their scores so far (state).</summary>
    public int Cursor => _cursor;
    public IReadOnlyList<double> ScoresSoFar => _scores;

    public TaskBatch Next(int count)
    {
        var batch = Cem.SampleBatch();
        if (_cursor + count > batch.Count) throw new InvalidOperationException($"the CEM batch of {batch.Count} tasks is not a multiple of the meta-batch {count}");
        var samples = batch.Skip(_cursor).Take(count).ToList();
        _cursor += count;
        return new TaskBatch(samples.Select(s => family.TaskAt(s.Latent)).ToList(), samples.Select(s => s.Weight).ToArray());
    }

    public void Report(IReadOnlyList<double> scores)
    {
        _scores.AddRange(scores);
        if (_scores.Count < Cem.Settings.BatchSize) return;
        Cem.Update(_scores);
        _scores.Clear();
        _cursor = 0;
    }

    public void Restore(int cursor, IEnumerable<double> scores)
    {
        _cursor = cursor;
        _scores.Clear();
        _scores.AddRange(scores);
    }
}

/// <summary>CVaR-ML's filter at the run's (possibly scheduled) α.</summary>
public sealed class CvarFilter(Func<double> alpha) : ITaskFilter
{
    public double[] Weights(IReadOnlyList<double> scores) => Robust.CvarTaskFilter.Weights(scores, alpha());
}
