namespace MetaRl.Learning.Evaluation;

/// <summary>A mean over seeds with its 95% confidence interval (Student's t).</summary>
public sealed record MeanInterval(double Mean, double HalfWidth, int Count)
{
    public double Low => Mean - HalfWidth;
    public double High => Mean + HalfWidth;
}

public static class SeedStatistics
{
    /// <summary>Mean and 95% CI half-width t_{0.975, n−1}·s/√n (0 for a single value).</summary>
    public static MeanInterval Of(IReadOnlyList<double> values)
    {
        int n = values.Count;
        if (n == 0) throw new ArgumentException("no values", nameof(values));
        double mean = values.Average();
        if (n == 1) return new MeanInterval(mean, 0, 1);
        double sd = Math.Sqrt(values.Sum(v => (v - mean) * (v - mean)) / (n - 1));
        return new MeanInterval(mean, StudentT975(n - 1) * sd / Math.Sqrt(n), n);
    }

    /// <summary>The 0.975 quantile of Student's t with <paramref name="df"/> degrees of freedom.</summary>
    public static double StudentT975(int df)
    {
        ReadOnlySpan<double> table = [12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228,
            2.201, 2.179, 2.160, 2.145, 2.131, 2.120, 2.110, 2.101, 2.093, 2.086, 2.080, 2.074, 2.069, 2.064, 2.060,
            2.056, 2.052, 2.048, 2.045, 2.042];
        if (df < 1) throw new ArgumentOutOfRangeException(nameof(df));
        if (df <= table.Length) return table[df - 1];
        // Beyond 30 degrees of freedom: the normal quantile with a first-order correction.
        return 1.959964 + 2.37 / df;
    }
}
