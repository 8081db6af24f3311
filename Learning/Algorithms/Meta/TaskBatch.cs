using MetaRl.Learning.Environments;

namespace MetaRl.Learning.Algorithms.Meta;

/// <summary>
/// The tasks of one meta-iteration with their importance weights (1 under the original task
/// distribution; p_φ0/p_φ when RoML's sampler drew them).
/// </summary>
public sealed record TaskBatch(IReadOnlyList<MetaTask> Tasks, double[] Weights)
{
    public static TaskBatch Uniform(IReadOnlyList<MetaTask> tasks) => new(tasks, Enumerable.Repeat(1.0, tasks.Count).ToArray());
}

/// <summary>Turns the batch's post-adaptation scores into per-task learning weights (CVaR-ML's tail filter; all ones otherwise).</summary>
public interface ITaskFilter
{
    double[] Weights(IReadOnlyList<double> scores);
}

/// <summary>Every task counts.</summary>
public sealed class KeepAllTasks : ITaskFilter
{
    public static readonly KeepAllTasks Instance = new();
    public double[] Weights(IReadOnlyList<double> scores) => Enumerable.Repeat(1.0, scores.Count).ToArray();
}

/// <summary>What one meta-iteration produced.</summary>
/// <param name="Scores">Per task: the post-adaptation score (mean return, or −loss for regression).</param>
/// <param name="PreScores">Per task: the score before adaptation.</param>
/// <param name="Weights">The weights the learner actually used (importance × filter, normalised to mean 1).</param>
/// <param name="EnvironmentSteps">Environment steps (or regression samples) this iteration consumed.</param>
/// <param name="Diagnostics">Learner-specific numbers (losses, KL, line-search outcome).</param>
public sealed record IterationReport(double[] Scores, double[] PreScores, double[] Weights, long EnvironmentSteps, IReadOnlyDictionary<string, double> Diagnostics);

/// <summary>Per-task scores of an evaluation (no learning): before and after adaptation.</summary>
public sealed record EvaluationScores(double[] Pre, double[] Post);

public static class TaskWeights
{
    /// <summary>importance ⊙ filter, normalised to mean 1 (a weighted mean over tasks); all-zero input gives uniform weights.</summary>
    public static double[] Combine(IReadOnlyList<double> importance, IReadOnlyList<double> filter)
    {
        var w = importance.Zip(filter, (a, b) => a * b).ToArray();
        double sum = w.Sum();
        if (!(sum > 0) || !double.IsFinite(sum)) return Enumerable.Repeat(1.0, w.Length).ToArray();
        for (int i = 0; i < w.Length; i++) w[i] *= w.Length / sum;
        return w;
    }
}
