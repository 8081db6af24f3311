namespace MetaRl.Learning.Common;

/// <summary>Functions .NET lacks: log Γ (Lanczos, g = 7, n = 9; relative error below 1e-14 for x &gt; 0).</summary>
public static class SpecialFunctions
{
    private static readonly double[] Lanczos =
    [
        0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
        12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
    ];

    public static double LogGamma(double x)
    {
        if (x <= 0) throw new ArgumentOutOfRangeException(nameof(x), x, "log Γ is implemented for x > 0");
        if (x < 0.5) return Math.Log(Math.PI / Math.Sin(Math.PI * x)) - LogGamma(1 - x); // reflection
        x -= 1;
        double a = Lanczos[0];
        double t = x + 7.5;
        for (int i = 1; i < 9; i++) a += Lanczos[i] / (x + i);
        return 0.5 * Math.Log(2 * Math.PI) + (x + 0.5) * Math.Log(t) - t + Math.Log(a);
    }

    /// <summary>log of the Beta(a, b) density at u ∈ (0, 1).</summary>
    public static double BetaLogPdf(double u, double a, double b) =>
        (a - 1) * Math.Log(u) + (b - 1) * Math.Log(1 - u) - (LogGamma(a) + LogGamma(b) - LogGamma(a + b));
}
