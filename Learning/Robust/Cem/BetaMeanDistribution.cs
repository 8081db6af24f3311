using MetaRl.Learning.Common;

namespace MetaRl.Learning.Robust.Cem;

/// <summary>
/// Beta by mean on a unit latent: u ~ Beta(2φ, 2 − 2φ), so φ0 = 0.5 is the uniform distribution.
/// The density is evaluated with u clipped to [ε, 1 − ε], and the fitted mean is clipped to that
/// interval too. Families map u to their parameters (linearly: Beta-by-mean scaled to a range; as
/// 2^(lo + (hi − lo)u): the log-Beta scale factors).
/// </summary>
public sealed class BetaMeanDistribution(double epsilon = 0.02) : ILatentDistribution
{
    public string Kind => "beta-mean";
    public double[] Original => [0.5];
    public double Epsilon { get; } = epsilon;

    public double Sample(double[] phi, RandomStream rng) => rng.NextBeta(2 * phi[0], 2 - 2 * phi[0]);

    public double LogPdf(double value, double[] phi) =>
        SpecialFunctions.BetaLogPdf(Math.Clamp(value, Epsilon, 1 - Epsilon), 2 * phi[0], 2 - 2 * phi[0]);

    /// <summary>The mean parameter's MLE is the weighted mean of the samples, clipped to [ε, 1 − ε].</summary>
    public double[] Fit(IReadOnlyList<double> values, IReadOnlyList<double> weights) =>
        [Math.Clamp(WeightedMean(values, weights), Epsilon, 1 - Epsilon)];

    internal static double WeightedMean(IReadOnlyList<double> values, IReadOnlyList<double> weights)
    {
        double sw = 0, swx = 0;
        for (int i = 0; i < values.Count; i++)
        {
            sw += weights[i];
            swx += weights[i] * values[i];
        }
        return swx / sw;
    }
}
