namespace MetaRl.Learning.Torch.Distributions;

/// <summary>
/// A Gaussian with diagonal covariance over the last dimension: N(mean, diag(exp(logStd))²).
/// Log-probabilities, entropies and KLs are summed over that dimension (one value per batch row).
/// The distribution does not own its tensors.
/// </summary>
public sealed class DiagonalGaussian
{
    private static readonly double HalfLog2Pi = 0.5 * Math.Log(2 * Math.PI);

    public DiagonalGaussian(Tensor mean, Tensor logStd)
    {
        Mean = mean;
        LogStd = logStd;
    }

    public Tensor Mean { get; }
    public Tensor LogStd { get; }

    /// <summary>A reparameterised sample mean + std · ε (differentiable in mean and logStd).</summary>
    public Tensor Sample(Generator generator)
    {
        using var scope = new DisposeScope();
        var eps = Mean.RandNLike(generator);
        var std = LogStd.Exp();
        return scope.MoveToOuter(Mean + std * eps);
    }

    /// <summary>log p(x), summed over the last dimension.</summary>
    public Tensor LogProb(Tensor x)
    {
        using var scope = new DisposeScope();
        var z = (x - Mean) * (-LogStd).Exp();
        var perDim = z.Square() * -0.5 - LogStd - HalfLog2Pi;
        return scope.MoveToOuter(perDim.Sum(-1));
    }

    /// <summary>Differential entropy, summed over the last dimension, broadcast to the batch shape of the mean.</summary>
    public Tensor Entropy()
    {
        using var scope = new DisposeScope();
        var perDim = (LogStd + (0.5 + HalfLog2Pi)) + Mean.ZerosLike();
        return scope.MoveToOuter(perDim.Sum(-1));
    }

    /// <summary>KL(this ‖ other), summed over the last dimension.</summary>
    public Tensor KlDivergence(DiagonalGaussian other)
    {
        using var scope = new DisposeScope();
        var varRatio = (2 * (LogStd - other.LogStd)).Exp();
        var meanTerm = (Mean - other.Mean).Square() * (-2 * other.LogStd).Exp();
        var perDim = (varRatio + meanTerm - 1) * 0.5 + (other.LogStd - LogStd);
        return scope.MoveToOuter(perDim.Sum(-1));
    }
}
