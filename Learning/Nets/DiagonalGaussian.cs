using static TorchSharp.torch;

namespace MetaRl.Learning.Nets;

/// <summary>
/// A Gaussian with diagonal covariance over the last dimension: N(mean, diag(exp(logStd))²).
/// Log-probabilities, entropies and KLs are summed over that dimension (one value per batch row).
/// </summary>
public sealed class DiagonalGaussian(Tensor mean, Tensor logStd)
{
    private static readonly double HalfLog2Pi = 0.5 * Math.Log(2 * Math.PI);

    public Tensor Mean { get; } = mean;
    public Tensor LogStd { get; } = logStd;

    /// <summary>mean + std · ε, ε drawn from <paramref name="generator"/>.</summary>
    public Tensor Sample(Generator generator)
    {
        var eps = randn(Mean.shape, dtype: Mean.dtype, generator: generator);
        return Mean + LogStd.exp() * eps;
    }

    /// <summary>log p(x), summed over the last dimension.</summary>
    public Tensor LogProb(Tensor x)
    {
        var z = (x - Mean) * (-LogStd).exp();
        var perDim = z.square() * -0.5 - LogStd - HalfLog2Pi;
        return perDim.sum(-1);
    }

    /// <summary>Differential entropy, summed over the last dimension, for every row of the mean.</summary>
    public Tensor Entropy() => ((LogStd + (0.5 + HalfLog2Pi)) + zeros_like(Mean)).sum(-1);

    /// <summary>KL(this ‖ other), summed over the last dimension.</summary>
    public Tensor KlDivergence(DiagonalGaussian other)
    {
        var varRatio = (2 * (LogStd - other.LogStd)).exp();
        var meanTerm = (Mean - other.Mean).square() * (-2 * other.LogStd).exp();
        var perDim = (varRatio + meanTerm - 1) * 0.5 + (other.LogStd - LogStd);
        return perDim.sum(-1);
    }
}
