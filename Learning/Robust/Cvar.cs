namespace MetaRl.Learning.Robust;

/// <summary>Tail statistics of task returns: quantiles and CVaR_α (the mean of the worst α-fraction).</summary>
public static class Cvar
{
    /// <summary>How many of <paramref name="n"/> values the α-tail holds: ⌈α·n⌉, at least 1.</summary>
    public static int TailCount(int n, double alpha)
    {
        CheckAlpha(alpha);
        if (n <= 0) throw new ArgumentException("no values", nameof(n));
        return Math.Clamp((int)Math.Ceiling(alpha * n - 1e-12), 1, n);
    }

    /// <summary>CVaR_α: the mean of the ⌈α·n⌉ lowest values (α = 1 gives the mean).</summary>
    public static double Of(IReadOnlyList<double> values, double alpha)
    {
        int k = TailCount(values.Count, alpha);
        return values.OrderBy(v => v).Take(k).Average();
    }

    /// <summary>The q-quantile with linear interpolation between order statistics (numpy's default).</summary>
    public static double Quantile(IReadOnlyList<double> values, double q)
    {
        if (values.Count == 0) throw new ArgumentException("no values", nameof(values));
        if (q is < 0 or > 1 || double.IsNaN(q)) throw new ArgumentOutOfRangeException(nameof(q), q, "a quantile level is in [0, 1]");
        var sorted = values.OrderBy(v => v).ToArray();
        double position = q * (sorted.Length - 1);
        int lower = (int)Math.Floor(position);
        int upper = Math.Min(lower + 1, sorted.Length - 1);
        return sorted[lower] + (position - lower) * (sorted[upper] - sorted[lower]);
    }

    /// <summary>
    /// The importance-weighted α-quantile of the dynamic-target CEM: sort by value; cumulative weight
    /// c_i = Σ_{j≤i} w_j − w_i/2, shifted so c_first = 0 and scaled so c_last = 1; interpolate linearly
    /// at α' = clip(α(n+1)/(n−1) − 1/(n−1), 0, 1) (the small-sample correction).
    /// </summary>
    public static double WeightedQuantile(IReadOnlyList<double> values, IReadOnlyList<double> weights, double alpha)
    {
        int n = values.Count;
        if (n == 0 || weights.Count != n) throw new ArgumentException("values and weights must be non-empty and of equal length");
        CheckAlpha(alpha);
        var order = Enumerable.Range(0, n).OrderBy(i => values[i]).ToArray();
        if (n == 1) return values[0];
        var c = new double[n];
        double cumulative = 0;
        for (int k = 0; k < n; k++)
        {
            double w = weights[order[k]];
            cumulative += w;
            c[k] = cumulative - w / 2;
        }
        double first = c[0], last = c[n - 1];
        double span = last - first;
        double level = Math.Clamp(alpha * (n + 1) / (n - 1) - 1.0 / (n - 1), 0, 1);
        if (span <= 0) return values[order[0]];
        for (int k = 0; k < n; k++) c[k] = (c[k] - first) / span;
        // Linear interpolation of the sorted values at `level` over the positions c.
        if (level <= c[0]) return values[order[0]];
        for (int k = 1; k < n; k++)
        {
            if (level <= c[k])
            {
                double t = c[k] == c[k - 1] ? 0 : (level - c[k - 1]) / (c[k] - c[k - 1]);
                return values[order[k - 1]] + t * (values[order[k]] - values[order[k - 1]]);
            }
        }
        return values[order[n - 1]];
    }

    public static void CheckAlpha(double alpha)
    {
        if (!(alpha > 0 && alpha <= 1)) throw new ArgumentOutOfRangeException(nameof(alpha), alpha, "α is in (0, 1]");
    }
}
