using MetaRl.Learning.Common;

namespace MetaRl.Learning.Robust.Cem;

/// <summary>
/// Categorical over {0, …, k−1} (a discrete latent such as a direction); φ0 uniform. The fit is the
/// weighted frequency of each category, floored at ε and renormalised, so no category dies out.
/// </summary>
public sealed class CategoricalDistribution(int categories, double epsilon = 0.02) : ILatentDistribution
{
    public string Kind => "categorical";
    public double[] Original => Enumerable.Repeat(1.0 / categories, categories).ToArray();

    public double Sample(double[] phi, RandomStream rng)
    {
        double u = rng.NextDouble(), cumulative = 0;
        for (int k = 0; k < phi.Length; k++)
        {
            cumulative += phi[k];
            if (u < cumulative) return k;
        }
        return phi.Length - 1;
    }

    public double LogPdf(double value, double[] phi) => Math.Log(phi[(int)value]);

    public double[] Fit(IReadOnlyList<double> values, IReadOnlyList<double> weights)
    {
        var p = new double[categories];
        for (int i = 0; i < values.Count; i++) p[(int)values[i]] += weights[i];
        double total = p.Sum();
        for (int k = 0; k < categories; k++) p[k] = Math.Max(p[k] / total, epsilon);
        total = p.Sum();
        return p.Select(x => x / total).ToArray();
    }
}
