namespace MetaRl.Learning.Algorithms.Sampling;

/// <summary>
/// MAML's value baseline: a ridge regression, fitted per task on its own episodes, of the
/// discounted return-to-go on the features [s, s², t/100, (t/100)², (t/100)³, 1] (observations
/// clipped to ±10). Regularisation starts at 1e-5 and grows ×10 until the system is solvable.
/// </summary>
public static class LinearFeatureBaseline
{
    private static int FeatureCount(int obs) => 2 * obs + 4;

    private static void Features(ReadOnlySpan<float> observation, int t, Span<double> f)
    {
        int o = observation.Length;
        for (int j = 0; j < o; j++)
        {
            double s = Math.Clamp(observation[j], -10f, 10f);
            f[j] = s;
            f[o + j] = s * s;
        }
        double x = t / 100.0;
        f[2 * o] = x;
        f[2 * o + 1] = x * x;
        f[2 * o + 2] = x * x * x;
        f[2 * o + 3] = 1;
    }

    /// <summary>Fits on <paramref name="batch"/> against <paramref name="returns"/> ([M·H], padding ignored) and predicts every valid step.</summary>
    public static double[] FitPredict(EpisodeBatch batch, double[] returns)
    {
        int o = batch.ObservationSize, k = FeatureCount(o), h = batch.Horizon;
        var ata = new double[k * k];
        var aty = new double[k];
        var f = new double[k];
        for (int e = 0; e < batch.Episodes; e++)
        {
            for (int t = 0; t < batch.Lengths[e]; t++)
            {
                Features(batch.Observations.AsSpan((e * h + t) * o, o), t, f);
                double y = returns[e * h + t];
                for (int a = 0; a < k; a++)
                {
                    aty[a] += f[a] * y;
                    for (int b = 0; b <= a; b++) ata[a * k + b] += f[a] * f[b];
                }
            }
        }
        for (int a = 0; a < k; a++)
            for (int b = 0; b < a; b++) ata[b * k + a] = ata[a * k + b];
        var w = SolveRidge(ata, aty, k);
        var values = new double[batch.Episodes * h];
        for (int e = 0; e < batch.Episodes; e++)
        {
            for (int t = 0; t < batch.Lengths[e]; t++)
            {
                Features(batch.Observations.AsSpan((e * h + t) * o, o), t, f);
                double v = 0;
                for (int a = 0; a < k; a++) v += f[a] * w[a];
                values[e * h + t] = v;
            }
        }
        return values;
    }

    private static double[] SolveRidge(double[] ata, double[] aty, int k)
    {
        for (double reg = 1e-5; reg <= 1e5; reg *= 10)
        {
            var m = (double[])ata.Clone();
            for (int a = 0; a < k; a++) m[a * k + a] += reg;
            if (Common.Cholesky.Factor(m, k) && Common.Cholesky.Solve(m, aty, k) is { } w && w.All(double.IsFinite)) return w;
        }
        return new double[k];
    }
}
