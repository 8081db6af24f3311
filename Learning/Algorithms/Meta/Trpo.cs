using MetaRl.Learning.Torch;
using MetaRl.Learning.Torch.Nn;

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
        using var scope = new DisposeScope();
        var start = ParameterVector.Flatten(parameters).Detach();
        var lossBefore = loss(true);
        double lossBeforeValue = lossBefore.Item();
        var gradient = ParameterVector.Flatten(Autograd.Grad(lossBefore, parameters, allowUnused: true)).Detach();

        var klValue = kl(true);
        var klGrad = ParameterVector.Flatten(Autograd.Grad(klValue, parameters, createGraph: true, allowUnused: true));
        Tensor FisherVector(Tensor v)
        {
            using var inner = new DisposeScope();
            var hv = Autograd.Grad((klGrad * v).Sum(), parameters, retainGraph: true, allowUnused: true);
            return inner.MoveToOuter(ParameterVector.Flatten(hv).Detach() + options.CgDamping * v);
        }

        var direction = ConjugateGradient(FisherVector, gradient, options.CgIterations);
        double sFs = direction.Dot(FisherVector(direction)).Item();
        if (!(sFs > 0) || !double.IsFinite(sFs)) return new TrpoResult(lossBeforeValue, lossBeforeValue, 0, 0, false);
        // KL ≈ ½ ΔᵀFΔ, so Δ = −s·√(2δ / sᵀFs) reaches the bound δ to second order.
        var fullStep = direction * -Math.Sqrt(2 * options.MaxKl / sFs);

        double fraction = 1;
        for (int k = 0; k < options.MaxBacktracks; k++, fraction *= options.BacktrackRatio)
        {
            using var trial = new DisposeScope();
            ParameterVector.Assign(start + fraction * fullStep, parameters);
            double newLoss = loss(false).Item();
            double newKl = kl(false).Item();
            if (double.IsFinite(newLoss) && newLoss < lossBeforeValue && newKl <= options.MaxKl)
                return new TrpoResult(lossBeforeValue, newLoss, newKl, k, true);
        }
        ParameterVector.Assign(start, parameters);
        return new TrpoResult(lossBeforeValue, lossBeforeValue, 0, options.MaxBacktracks, false);
    }

    /// <summary>Solves F x = b for x with <paramref name="iterations"/> CG steps (F symmetric positive definite, given as a product).</summary>
    public static Tensor ConjugateGradient(Func<Tensor, Tensor> product, Tensor b, int iterations, double tolerance = 1e-10)
    {
        using var scope = new DisposeScope();
        var x = b.ZerosLike();
        var r = b.Clone();
        var p = b.Clone();
        double rr = r.Dot(r).Item();
        for (int i = 0; i < iterations && rr > tolerance; i++)
        {
            var ap = product(p);
            double alpha = rr / p.Dot(ap).Item();
            x = x + alpha * p;
            r = r - alpha * ap;
            double next = r.Dot(r).Item();
            p = r + (next / rr) * p;
            rr = next;
        }
        return scope.MoveToOuter(x);
    }
}
