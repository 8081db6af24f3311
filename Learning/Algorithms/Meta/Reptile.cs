using MetaRl.Learning.Algorithms.Sampling;
using MetaRl.Learning.Environments;

using MetaRl.Learning.Common;
using static TorchSharp.torch;

namespace MetaRl.Learning.Algorithms.Meta;

/// <summary>
/// Reptile for RL (Nichol et al. 2018): per task, k policy-gradient SGD steps from θ, each on fresh
/// episodes of the current task policy (θ_i ← θ_i − α∇L_inner(θ_i)); the task's score is the return
/// of episodes sampled with the final θ_i; then θ ← θ + ε·Σ w_i(θ_i − θ)/n. First order only.
/// </summary>
public sealed class Reptile : RlMetaLearner
{
    public Reptile(IRlTaskFamily family, RlLearnerOptions options, ulong seed, int innerSteps = 2, double outerStepSize = 0.1) : base(family, options, seed)
    {
        if (innerSteps < 1) throw new ArgumentException($"reptile.innerSteps {innerSteps} is invalid; allowed: an integer ≥ 1", nameof(innerSteps));
        if (!(outerStepSize > 0 && outerStepSize <= 1)) throw new ArgumentException($"reptile.outerStepSize {outerStepSize} is invalid; allowed: (0, 1]", nameof(outerStepSize));
        InnerSteps = innerSteps;
        OuterStepSize = outerStepSize;
    }

    public override string Name => "reptile";
    public int InnerSteps { get; }
    public double OuterStepSize { get; }

    public override IterationReport Iterate(TaskBatch batch, ITaskFilter filter, int iteration)
    {
        using var scope = NewDisposeScope();
        var tasks = batch.Tasks;
        int n = tasks.Count;
        var theta = Policy.Parameters;
        var current = Enumerable.Range(0, n).Select(_ => (IReadOnlyList<Tensor>)PolicyGradient.Detached(theta)).ToList();
        long steps = 0;
        double[]? preScores = null;
        for (int k = 0; k < InnerSteps; k++)
        {
            var episodes = Sampler.Sample(tasks, current, Options.EpisodesPerTask, PhaseSeed(iteration, k), Actions);
            preScores ??= episodes.Select(b => b.MeanReturn()).ToArray();
            steps += episodes.Sum(b => (long)b.Steps);
            for (int i = 0; i < n; i++)
            {
                using var data = ToSteps(episodes[i]);
                current[i] = PolicyGradient.Adapt(Policy, PolicyGradient.Leaves(current[i]), data, Options.InnerLearningRate, createGraph: false);
            }
        }
        var final = Sampler.Sample(tasks, current, Options.EpisodesPerTask, PhaseSeed(iteration, InnerSteps), Actions);
        steps += final.Sum(b => (long)b.Steps);
        var scores = final.Select(b => b.MeanReturn()).ToArray();
        var weights = TaskWeights.Combine(batch.Weights, filter.Weights(scores));
        using (no_grad())
        {
            for (int p = 0; p < theta.Count; p++)
            {
                using var inner = NewDisposeScope();
                Tensor? sum = null;
                for (int i = 0; i < n; i++)
                {
                    if (weights[i] == 0) continue;
                    var d = (current[i][p] - theta[p]) * (weights[i] / n);
                    sum = sum is null ? d : sum + d;
                }
                if (sum is not null) theta[p].add_(sum, alpha: OuterStepSize);
            }
        }
        return new IterationReport(scores, preScores!, weights, steps,
            Diagnostics(("bad_physics_episodes", final.Sum(b => b.BadPhysicsEpisodes))));
    }

    /// <summary>Evaluation adapts as training does: k steps, each on fresh episodes.</summary>
    public override EvaluationScores Evaluate(IReadOnlyList<MetaTask> tasks, ulong seed, IProgress<int>? progress = null)
    {
        using var scope = NewDisposeScope();
        using var actions = new Generator(RandomStream.FromKeys(seed, 4).NextUInt64());
        var current = Enumerable.Range(0, tasks.Count).Select(_ => (IReadOnlyList<Tensor>)PolicyGradient.Detached(Policy.Parameters)).ToList();
        double[]? pre = null;
        for (int k = 0; k < InnerSteps; k++)
        {
            var episodes = Sampler.Sample(tasks, current, Options.EpisodesPerTask, RandomStream.FromKeys(seed, 5, (ulong)k).NextUInt64(), actions);
            pre ??= episodes.Select(b => b.MeanReturn()).ToArray();
            for (int i = 0; i < tasks.Count; i++)
            {
                using var data = ToSteps(episodes[i]);
                current[i] = PolicyGradient.Adapt(Policy, PolicyGradient.Leaves(current[i]), data, Options.InnerLearningRate, createGraph: false);
            }
        }
        var post = Sampler.Sample(tasks, current, Options.EpisodesPerTask, RandomStream.FromKeys(seed, 6).NextUInt64(), actions);
        progress?.Report(tasks.Count); // every task's episodes are sampled together
        return new EvaluationScores(pre!, post.Select(b => b.MeanReturn()).ToArray());
    }

    protected override void SaveExtra(TensorArchive archive)
    {
    }
}
