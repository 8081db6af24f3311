using MetaRl.Learning.Nets;
using TorchSharp;
using static TorchSharp.torch;

namespace MetaRl.Learning.Algorithms.Meta;

/// <summary>Settings of a TRPO step (MAML's: max KL 0.01, 10 CG iterations, damping 1e-5, backtracking ×0.8 up to 15 times).</summary>
public sealed record TrpoOptions(double MaxKl = 0.01, int CgIterations = 10, double CgDamping = 1e-5, double BacktrackRatio = 0.8, int MaxBacktracks = 15);

/// <summary>What a TRPO step did.</summary>
public sealed record TrpoResult(double LossBefore, double LossAfter, double Kl, int Backtracks, bool Accepted);

/// <summary>
/// A trust-region policy step on any differentiable objective: the natural gradient by conjugate
/// gradient with Fisher-vector products (Hessian-vector products of the mean KL), the step scaled
/// to the KL bound, then a backtracking line search that accepts only an improving step within the
/// bound (otherwise the parameters stay where they were).
/// </summary>
public static class Trpo
{
    /// <param name="loss">Builds the loss at the current parameter values (to be minimised); the flag says
    /// whether it will be differentiated (false in the line search, where only its value counts).</param>
    /// <param name="kl">Builds the mean KL between the old policy and the one at the current values (same flag).</param>
    public static TrpoResult Step(IReadOnlyList<Tensor> parameters, Func<bool, Tensor> loss, Func<bool, Tensor> kl, TrpoOptions options)
    {
        using var scope = NewDisposeScope();
        var start = ParameterVector.Flatten(parameters).detach().clone();
        var lossBefore = loss(true);
        double lossBeforeValue = lossBefore.ToDouble();
        var gradient = ParameterVector.Flatten(Checked.Grad(lossBefore, parameters)).detach();

        var klValue = kl(true);
        var klGrad = ParameterVector.Flatten(Checked.Grad(klValue, parameters, createGraph: true));
        Tensor FisherVector(Tensor v)
        {
            using var inner = NewDisposeScope();
            var hv = Checked.Grad((klGrad * v).sum(), parameters, retainGraph: true);
            return (ParameterVector.Flatten(hv).detach() + options.CgDamping * v).MoveToOuterDisposeScope();
        }

        var direction = ConjugateGradient(FisherVector, gradient, options.CgIterations);
        double sFs = direction.dot(FisherVector(direction)).ToDouble();
        if (!(sFs > 0) || !double.IsFinite(sFs)) return new TrpoResult(lossBeforeValue, lossBeforeValue, 0, 0, false);
        // KL ≈ ½ ΔᵀFΔ, so Δ = −s·√(2δ / sᵀFs) reaches the bound δ to second order.
        var fullStep = direction * -Math.Sqrt(2 * options.MaxKl / sFs);

        double fraction = 1;
        for (int k = 0; k < options.MaxBacktracks; k++, fraction *= options.BacktrackRatio)
        {
            using var trial = NewDisposeScope();
            ParameterVector.Assign(start + fraction * fullStep, parameters);
            double newLoss = loss(false).ToDouble();
            double newKl = kl(false).ToDouble();
            if (double.IsFinite(newLoss) && newLoss < lossBeforeValue && newKl <= options.MaxKl)
                return new TrpoResult(lossBeforeValue, newLoss, newKl, k, true);
        }
        ParameterVector.Assign(start, parameters);
        return new TrpoResult(lossBeforeValue, lossBeforeValue, 0, options.MaxBacktracks, false);
    }

    /// <summary>Solves F x = b for x with <paramref name="iterations"/> CG steps (F symmetric positive definite, given as a product).</summary>
    public static Tensor ConjugateGradient(Func<Tensor, Tensor> product, Tensor b, int iterations, double tolerance = 1e-10)
    {
        using var scope = NewDisposeScope();
        var x = zeros_like(b);
        var r = b.clone();
        var p = b.clone();
        double rr = r.dot(r).ToDouble();
        for (int i = 0; i < iterations && rr > tolerance; i++)
        {
            var ap = product(p);
            double alpha = rr / p.dot(ap).ToDouble();
            x = x + alpha * p;
            r = r - alpha * ap;
            double next = r.dot(r).ToDouble();
            p = r + (next / rr) * p;
            rr = next;
        }
        return x.MoveToOuterDisposeScope();
    }
}
