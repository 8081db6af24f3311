namespace MetaRl.Grains.Interfaces.State;

/// <summary>
/// The propensity grain's state (MQL's adaptation to a new task): the logistic classifier that
/// tells the new task's context features from the meta-training replay, the effective sample size
/// of its odds, λ = 1 − ESS, and fit diagnostics.
/// </summary>
[GenerateSerializer(GenerateFieldIds = GenerateFieldIds.PublicProperties), Immutable, Alias("metarl.PropensityState")]
public sealed record PropensityState
{
    public string RunId { get; init; } = "";
    public string TaskId { get; init; } = "";
    public double[] Weights { get; init; } = [];
    public double Bias { get; init; }
    public double Regularisation { get; init; }
    public double EffectiveSampleSize { get; init; }
    public double Lambda { get; init; }
    public int NewTaskSamples { get; init; }
    public int ReplaySamples { get; init; }
    public double TrainingAccuracy { get; init; }
    public double LogLoss { get; init; }
    /// <summary>β over the replay samples: mean, median, maximum, and the fraction at the clip.</summary>
    public double MeanOdds { get; init; }
    public double MedianOdds { get; init; }
    public double MaxOdds { get; init; }
    public double ClippedOddsFraction { get; init; }

    /// <summary>The task's return before adaptation (context only) and after.</summary>
    public double PreReturn { get; init; }
    public double PostReturn { get; init; }
    public int Iterations { get; init; }
    public DateTimeOffset Fitted { get; init; }
}
