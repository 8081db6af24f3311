using MetaRl.Learning.Common;
using MetaRl.Learning.Nets;
using static TorchSharp.torch;

namespace MetaRl.Learning.Algorithms.Policies;

/// <summary>
/// A policy under one parameter list, frozen for sampling: observations in, actions out, in plain C#
/// (<see cref="MlpKernel"/>), the noise of each row drawn from that row's own stream. Gaussian
/// policies act a = μ(s) + exp(log σ)·ε, ε ~ N(0, 1); categorical ones draw an index from
/// softmax(logits). Deterministic acting takes μ(s), or the first most likely index. What an action
/// is does not depend on which other rows are computed with it.
/// </summary>
public sealed class ActionKernel
{
    private readonly MlpKernel _net;
    private readonly double[]? _std;

    private ActionKernel(MlpKernel net, double[]? std, bool discrete)
    {
        _net = net;
        _std = std;
        Discrete = discrete;
    }

    /// <summary>A snapshot of <paramref name="policy"/> under <paramref name="parameters"/> (in <see cref="IPolicy.Parameters"/> order).</summary>
    public static ActionKernel For(IPolicy policy, IReadOnlyList<Tensor> parameters)
    {
        switch (policy)
        {
            case GaussianMlpPolicy:
            {
                var logStd = MlpKernel.Values(parameters[^1]);
                if (logStd.Length != policy.ActionSize) throw new ArgumentException($"log_std has {logStd.Length} values, the policy acts in {policy.ActionSize}", nameof(parameters));
                var net = MlpKernel.FromParameters(policy.Net, parameters.Take(parameters.Count - 1).ToList());
                return new ActionKernel(net, logStd.Select(v => Math.Exp(v)).ToArray(), discrete: false);
            }
            case CategoricalMlpPolicy:
                return new ActionKernel(MlpKernel.FromParameters(policy.Net, parameters), null, discrete: true);
            default:
                throw new ArgumentException($"no sampling kernel for {policy.GetType().Name}", nameof(policy));
        }
    }

    public bool Discrete { get; }
    public int ObservationSize => _net.InputSize;

    /// <summary>Floats per action (1 for a discrete action, its index).</summary>
    public int ActionSize => Discrete ? 1 : _net.OutputSize;

    /// <summary>Floats of scratch <see cref="Act"/> needs.</summary>
    public int ScratchSize => 2 * _net.MaxWidth + _net.OutputSize;

    /// <summary>One row's action; <paramref name="noise"/> is not touched when <paramref name="deterministic"/>.</summary>
    public void Act(ReadOnlySpan<float> observation, Span<float> action, RandomStream noise, bool deterministic, Span<float> scratch)
    {
        if (action.Length != ActionSize) throw new ArgumentException($"action has {action.Length} values, the policy gives {ActionSize}", nameof(action));
        var output = scratch[..(_net.OutputSize)];
        _net.Forward(observation, output, scratch.Slice(_net.OutputSize));
        if (!Discrete)
        {
            if (deterministic) output.CopyTo(action);
            else
                for (int j = 0; j < action.Length; j++) action[j] = (float)(output[j] + _std![j] * noise.NextGaussian());
            return;
        }
        int best = 0;
        for (int j = 1; j < output.Length; j++)
            if (output[j] > output[best]) best = j;
        if (!deterministic)
        {
            // Inverse CDF of softmax(logits), in double, shifted by the largest logit.
            double total = 0;
            for (int j = 0; j < output.Length; j++) total += Math.Exp(output[j] - output[best]);
            double u = noise.NextDouble() * total, cumulative = 0;
            int pick = output.Length - 1;
            for (int j = 0; j < output.Length; j++)
            {
                cumulative += Math.Exp(output[j] - output[best]);
                if (u < cumulative)
                {
                    pick = j;
                    break;
                }
            }
            best = pick;
        }
        action[0] = best;
    }
}
