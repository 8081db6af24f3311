namespace MetaRl.Learning.Robust.Cem;

/// <summary>
/// Settings of the dynamic-target CEM, with the defaults of the RoML authors' package (MuJoCo:
/// N = 128, ν = 0.2, β = 0.2, s = 0.5; Khazad-Dum uses β = 0.05; sine N = 200, ν = 0).
/// </summary>
public sealed record CemSettings
{
    /// <summary>N: tasks per CEM batch (one update per N scores; may span several meta-iterations).</summary>
    public int BatchSize { get; init; } = 128;

    /// <summary>α of the importance-weighted reference quantile (RoML: the CVaR level).</summary>
    public double Alpha { get; init; } = 0.05;

    /// <summary>ν (n_orig_per_batch as a fraction): ⌊ν·N⌋ positions per batch drawn from φ0 with weight 1.</summary>
    public double OriginalFraction { get; init; } = 0.2;

    /// <summary>β (min_batch_update): the plain quantile level, and the minimum selected fraction.</summary>
    public double MinBatchUpdate { get; init; } = 0.2;

    /// <summary>s (soft_update): φ ← s·φ_old + (1 − s)·φ_new.</summary>
    public double SoftUpdate { get; init; } = 0.5;

    /// <summary>ε: Beta densities and fits clip to [ε, 1 − ε].</summary>
    public double Epsilon { get; init; } = 0.02;

    /// <summary>Problems, each naming the field and what is allowed. Empty when valid.</summary>
    public IReadOnlyList<string> Validate()
    {
        var e = new List<string>();
        if (BatchSize < 2) e.Add($"cem.batchSize {BatchSize} is invalid; allowed: an integer ≥ 2");
        if (!(Alpha > 0 && Alpha <= 1)) e.Add($"cem.alpha {Alpha} is invalid; allowed: (0, 1]");
        if (!(OriginalFraction >= 0 && OriginalFraction < 1)) e.Add($"cem.originalFraction {OriginalFraction} is invalid; allowed: [0, 1)");
        if (!(MinBatchUpdate > 0 && MinBatchUpdate <= 1)) e.Add($"cem.minBatchUpdate {MinBatchUpdate} is invalid; allowed: (0, 1]");
        if (!(SoftUpdate >= 0 && SoftUpdate < 1)) e.Add($"cem.softUpdate {SoftUpdate} is invalid; allowed: [0, 1)");
        if (!(Epsilon > 0 && Epsilon < 0.5)) e.Add($"cem.epsilon {Epsilon} is invalid; allowed: (0, 0.5)");
        return e;
    }
}
