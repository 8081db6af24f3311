namespace MetaRl.Learning.Robust.Cem;

/// <summary>One task drawn by the CEM: its latent point, its importance weight p_φ0/p_φ, and whether it came from φ0.</summary>
public sealed record CemSample(double[] Latent, double Weight, bool FromOriginal);

/// <summary>
/// What one CEM update saw and did: the distribution before and after, both quantiles, and every
/// sample with its weight, score and whether it was selected — and the settings it used (α at that
/// update, β, s, ε) and each latent dimension's kind, so that a record reads on its own. This history
/// is what users inspect to see which tasks RoML over-samples (docs/FORMATS.md, "CEM history").
/// Records written before the settings were added read them as 0 / null.
/// </summary>
public sealed record CemUpdateRecord(
    int Index,
    double[][] PhiBefore,
    double[][] PhiAfter,
    double QuantilePlain,
    double QuantileReference,
    double Threshold,
    double[][] Samples,
    double[] Weights,
    double[] Scores,
    bool[] Selected,
    bool[] FromOriginal,
    double Alpha = 0,
    double MinBatchUpdate = 0,
    double SoftUpdate = 0,
    double Epsilon = 0,
    string[]? Kinds = null);

/// <summary>Everything needed to continue a CEM exactly: φ, φ0, the pending batch, the history, the random stream.</summary>
public sealed record CemState(
    double[][] Phi,
    double[][] Phi0,
    CemSample[]? Pending,
    List<CemUpdateRecord> History,
    byte[] RandomState);
