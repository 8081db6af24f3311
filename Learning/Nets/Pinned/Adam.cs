using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace MetaRl.Learning.Nets.Pinned;

/// <summary>
/// TorchSharp's Adam with one difference: every Scalar its step hands to libtorch is created
/// explicitly and kept alive until the call has returned. TorchSharp's own step converts doubles to
/// Scalars implicitly (`mul_(beta1)`), and a Scalar that is unreachable once its handle is passed can
/// be finalized while libtorch still reads it — under garbage-collection pressure a run then dies
/// with "Unknown scalar type" or a failed check in Scalar::toDouble (seen twice here: an MQL run, and
/// a test's reference run; upstream dotnet/TorchSharp#1434, #1496). The arithmetic and the state
/// (<see cref="TorchSharp.Modules.Adam.State"/>) are TorchSharp's: same operations, same order, same
/// bits. The class is named Adam because TorchSharp writes the optimizer's type name into its saved
/// state and checks it on loading: checkpoints written before and after this class stay interchangeable.
/// </summary>
public sealed class Adam : TorchSharp.Modules.Adam
{
    public Adam(IEnumerable<Parameter> parameters, double lr) : base(parameters, lr)
    {
    }

    public override Tensor step(Func<Tensor>? closure = null) => _step<ParamGroup>(group =>
    {
        var options = (Options)group.Options;
        double beta1 = options.beta1!.Value, beta2 = options.beta2!.Value, eps = options.eps!.Value;
        double weightDecay = options.weight_decay!.Value, lr = options.LearningRate!.Value;
        bool amsgrad = options.amsgrad!.Value, maximize = options.maximize!.Value;
        using var b1 = beta1.ToScalar();
        using var oneMinusB1 = (1 - beta1).ToScalar();
        using var b2 = beta2.ToScalar();
        using var oneMinusB2 = (1 - beta2).ToScalar();
        using var epsilon = eps.ToScalar();
        using var decay = weightDecay.ToScalar();
        foreach (var param in group.Parameters)
        {
            var state = (State)_state[param.Handle];
            var grad = param.grad;
            if (grad is null) continue;
            if (maximize) grad = -grad;
            state.step += 1;
            double biasCorrection1 = 1 - Math.Pow(beta1, state.step);
            double biasCorrection2 = 1 - Math.Pow(beta2, state.step);
            if (weightDecay != 0) grad = grad.add(param, alpha: decay);
            state.exp_avg.mul_(b1).add_(grad, alpha: oneMinusB1);
            using (var conj = grad.conj()) state.exp_avg_sq.mul_(b2).addcmul_(grad, conj, value: oneMinusB2);
            using var root = Math.Sqrt(biasCorrection2).ToScalar();
            Tensor source = state.exp_avg_sq;
            if (amsgrad)
            {
                var previous = state.max_exp_avg_sq;
                state.max_exp_avg_sq = maximum(previous, state.exp_avg_sq).DetachFromDisposeScope();
                previous.Dispose();
                source = state.max_exp_avg_sq;
            }
            using var sqrt = source.sqrt();
            using var denom = sqrt.div(root);
            denom.add_(epsilon);
            using var step = (-(lr / biasCorrection1)).ToScalar();
            param.addcdiv_(state.exp_avg, denom, value: step);
        }
    }, closure);
}
