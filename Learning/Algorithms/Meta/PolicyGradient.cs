using MetaRl.Learning.Algorithms.Policies;
using MetaRl.Learning.Algorithms.Sampling;
using MetaRl.Learning.Nets;
using static TorchSharp.torch;

namespace MetaRl.Learning.Algorithms.Meta;

/// <summary>The small pieces the gradient-based meta-learners are made of. Every function takes its parameters explicitly.</summary>
public static class PolicyGradient
{
    /// <summary>log π_θ(a_t|s_t) for the task's steps [T].</summary>
    public static Tensor LogProbs(IPolicy policy, IReadOnlyList<Tensor> theta, StepTensors data) =>
        policy.Distribution(data.Observations, theta).LogProb(data.Actions);

    /// <summary>
    /// The inner (adaptation) loss −mean(log π·A). With <paramref name="lowVarianceCurvature"/>, ProMP's
    /// LVC form −mean(exp(log π − ⊥log π)·A): the same gradient, a better-behaved Hessian.
    /// </summary>
    public static Tensor InnerLoss(IPolicy policy, IReadOnlyList<Tensor> theta, StepTensors data, bool lowVarianceCurvature)
    {
        var logp = LogProbs(policy, theta, data);
        var weight = lowVarianceCurvature ? (logp - logp.detach()).exp() : logp;
        return (weight * data.Advantages).mean().neg();
    }

    /// <summary>
    /// One policy-gradient adaptation step θ' = θ − α∇L_inner(θ). With <paramref name="createGraph"/>
    /// θ' stays a differentiable function of θ (second-order meta-gradients).
    /// </summary>
    public static IReadOnlyList<Tensor> Adapt(IPolicy policy, IReadOnlyList<Tensor> theta, StepTensors data, double innerLearningRate,
        bool createGraph, bool lowVarianceCurvature = false)
    {
        var loss = InnerLoss(policy, theta, data, lowVarianceCurvature);
        var grads = Checked.Grad(loss, theta, createGraph: createGraph);
        var adapted = new Tensor[theta.Count];
        for (int i = 0; i < theta.Count; i++)
        {
            var step = theta[i] - innerLearningRate * grads[i];
            adapted[i] = createGraph ? step : step.detach();
        }
        return adapted;
    }

    /// <summary>
    /// Copies of θ cut from the graph (a snapshot: the "old" policy). A plain detach would share
    /// storage with θ and follow it through in-place optimizer updates.
    /// </summary>
    public static IReadOnlyList<Tensor> Detached(IReadOnlyList<Tensor> theta) => theta.Select(t => t.detach().clone()).ToList();

    /// <summary>Leaf copies of <paramref name="parameters"/> that require grad (the start of a first-order adaptation).</summary>
    public static IReadOnlyList<Tensor> Leaves(IReadOnlyList<Tensor> parameters) => parameters.Select(t => t.detach().clone().requires_grad_(true)).ToList();
}
