using MetaRl.Learning.Common;

namespace MetaRl.Learning.Robust.Cem;

/// <summary>Exponential with mean φ (Khazad-Dum's noise level, φ0 = 0.1). The fit is the weighted mean, unclipped.</summary>
public sealed class ExponentialDistribution(double originalMean) : ILatentDistribution
{
    public string Kind => "exponential";
    public double[] Original => [originalMean];

    public double Sample(double[] phi, RandomStream rng) => -phi[0] * Math.Log(1.0 - rng.NextDouble());

    public double LogPdf(double value, double[] phi) => -Math.Log(phi[0]) - value / phi[0];

    public double[] Fit(IReadOnlyList<double> values, IReadOnlyList<double> weights) => [BetaMeanDistribution.WeightedMean(values, weights)];
}
