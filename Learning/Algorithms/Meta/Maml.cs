using MetaRl.Learning.Algorithms.Sampling;
using MetaRl.Learning.Environments;
using TorchSharp;
using static TorchSharp.torch;

namespace MetaRl.Learning.Algorithms.Meta;

/// <summary>
/// MAML for RL (Finn et al. 2017) with a TRPO outer step. Per meta-iteration:
/// <list type="number">
/// <item>sample M episodes per task with θ (pre-update);</item>
/// <item>adapt: θ'_i = θ − α∇L_inner(θ) from the task's pre-update episodes;</item>
/// <item>sample M episodes per task with θ'_i (post-update): the task's score;</item>
/// <item>TRPO on the weighted post-update surrogate −Σ w_i mean(π_θ'_i(θ)/π_θ'_i,old · A), θ'_i(θ) kept a
/// differentiable function of θ (second order through the inner step), under a bound on the mean KL
/// of the adapted policies.</item>
/// </list>
/// With <see cref="ExplorationWeight"/> &gt; 0 this is E-MAML (see <see cref="EMaml"/>).
/// </summary>
public class Maml : RlMetaLearner
{
    public Maml(IRlTaskFamily family, RlLearnerOptions options, TrpoOptions trpo, ulong seed, double explorationWeight = 0)
        : base(family, options, seed)
    {
        Trpo = trpo;
        ExplorationWeight = explorationWeight;
    }

    public override string Name => ExplorationWeight > 0 ? "e-maml-trpo" : "maml-trpo";
    public TrpoOptions Trpo { get; }

    /// <summary>E-MAML's weight on crediting the pre-update sampling for the post-update return (0: plain MAML).</summary>
    public double ExplorationWeight { get; }

    public override IterationReport Iterate(TaskBatch batch, ITaskFilter filter, int iteration)
    {
        using var scope = NewDisposeScope();
        int n = batch.Tasks.Count;
        var theta = Policy.Parameters;
        var round = SampleAndAdapt(batch, filter, iteration);
        var (preData, adaptedOld, postData, scores, weights, oldLogp) = (round.PreData, round.Adapted, round.PostData, round.Scores, round.Weights, round.OldLogProbs);
        var exploration = ExplorationWeight > 0 ? NormalizedAcrossBatch(scores) : null;

        Tensor Loss(bool differentiable)
        {
            Tensor? total = null;
            for (int i = 0; i < n; i++)
            {
                if (weights[i] == 0) continue;
                double credit = exploration is null ? 0 : ExplorationWeight * exploration[i];
                var task = TaskObjective(Policy, theta, preData[i], postData[i], oldLogp[i], Options.InnerLearningRate, credit, differentiable) * (weights[i] / n);
                total = total is null ? task : total + task;
            }
            return total ?? zeros(1).sum();
        }

        Tensor MeanKl(bool differentiable)
        {
            Tensor? total = null;
            for (int i = 0; i < n; i++)
            {
                var adapted = PolicyGradient.Adapt(Policy, theta, preData[i], Options.InnerLearningRate, createGraph: differentiable);
                var oldDist = Policy.Distribution(postData[i].Observations, adaptedOld[i]);
                var newDist = Policy.Distribution(postData[i].Observations, adapted);
                var kl = oldDist.KlDivergence(newDist).mean() / n;
                total = total is null ? kl : total + kl;
            }
            return total!;
        }

        var step = Meta.Trpo.Step(theta, Loss, MeanKl, Trpo);
        round.DisposeSteps();
        return new IterationReport(scores, round.PreScores, weights, round.Steps,
            Diagnostics(("loss_before", step.LossBefore), ("loss_after", step.LossAfter), ("kl", step.Kl),
                ("backtracks", step.Backtracks), ("step_accepted", step.Accepted ? 1 : 0), ("bad_physics_episodes", round.BadPhysicsEpisodes)));
    }

    /// <summary>
    /// One task's outer loss as a function of θ: −mean(exp(log π_θ'(θ)(a|s) − log π_old(a|s))·A) on
    /// post-update steps, θ'(θ) the inner step on pre-update steps (differentiable when asked), minus
    /// E-MAML's <paramref name="explorationCredit"/>·mean(log π_θ(a_pre|s_pre)) (0 for MAML).
    /// </summary>
    public static Tensor TaskObjective(Policies.IPolicy policy, IReadOnlyList<Tensor> theta, StepTensors preData, StepTensors postData,
        Tensor oldLogProbs, double innerLearningRate, double explorationCredit, bool differentiable)
    {
        var adapted = PolicyGradient.Adapt(policy, theta, preData, innerLearningRate, createGraph: differentiable);
        var ratio = (PolicyGradient.LogProbs(policy, adapted, postData) - oldLogProbs).exp();
        var loss = (ratio * postData.Advantages).mean().neg();
        if (explorationCredit != 0)
        {
            // E-MAML: credit the pre-update behaviour with the (normalised) post-update return.
            loss = loss - explorationCredit * PolicyGradient.LogProbs(policy, theta, preData).mean();
        }
        return loss;
    }

    /// <summary>(x − mean) / std across the meta-batch (E-MAML's R̃).</summary>
    internal static double[] NormalizedAcrossBatch(double[] x)
    {
        double mean = x.Average();
        double std = Math.Sqrt(x.Select(v => (v - mean) * (v - mean)).Average()) + 1e-8;
        return x.Select(v => (v - mean) / std).ToArray();
    }
}
