using MetaRl.Learning.Common;

namespace MetaRl.Learning.Robust.Cem;

/// <summary>
/// A parametric family over one latent task coordinate, as the dynamic-target CEM uses it:
/// parameters φ (a short vector), sampling, the log-density for importance weights, and the
/// weighted maximum-likelihood fit of φ to selected samples.
/// </summary>
public interface ILatentDistribution
{
    /// <summary>Name of the family ("beta-mean", "exponential", "categorical").</summary>
    string Kind { get; }

    /// <summary>φ0: the original task distribution's parameters.</summary>
    double[] Original { get; }

    double Sample(double[] phi, RandomStream rng);

    double LogPdf(double value, double[] phi);

    /// <summary>Weighted MLE of φ over the selected samples (weights positive).</summary>
    double[] Fit(IReadOnlyList<double> values, IReadOnlyList<double> weights);
}
