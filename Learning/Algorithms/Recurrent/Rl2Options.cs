namespace MetaRl.Learning.Algorithms.Recurrent;

/// <summary>
/// RL² and E-RL² settings: trials of k episodes of one task (2 by default), the first p of them
/// "explore" episodes for E-RL² (their rewards zeroed in the objective, still fed to the GRU; p = 0
/// is RL²); a GRU of 128; PPO with clip 0.2, 5 epochs of 8 minibatches, learning rate 3e-3, GAE λ 0.95,
/// γ 0.99, value weight 0.05 (on a value loss normalised by the targets' spread), entropy bonus 0.01.
/// ALGORITHMS.md gives no PPO settings for RL²; these were chosen on Point-Robot (docs/RESULTS.md):
/// with 1 minibatch at 1e-3, or a raw value loss at weight 0.5 on the shared GRU, nothing was learned in 300 iterations.
/// </summary>
public sealed record Rl2Options
{
    public int EpisodesPerTrial { get; init; } = 2;

    /// <summary>E-RL²'s explore episodes (rl2 ignores it: 0).</summary>
    public int ExploreEpisodes { get; init; } = 1;

    /// <summary>Trials collected per task of the meta-batch.</summary>
    public int TrialsPerTask { get; init; } = 4;
    public int Width { get; init; } = 128;
    public double Gamma { get; init; } = 0.99;
    public double Lambda { get; init; } = 0.95;
    public double Clip { get; init; } = 0.2;
    public int Epochs { get; init; } = 5;

    /// <summary>Each epoch's trials are shuffled and split into this many minibatches (one Adam step each).</summary>
    public int Minibatches { get; init; } = 8;
    public double LearningRate { get; init; } = 3e-3;
    /// <summary>Weight of the value loss, which is measured in units of the value targets' spread (the heads share the GRU).</summary>
    public double ValueWeight { get; init; } = 0.05;
    public double EntropyWeight { get; init; } = 0.01;

    /// <summary>Gradients are clipped to this global norm (0: not clipped).</summary>
    public double MaxGradientNorm { get; init; } = 0.5;

    /// <summary>Cores for stepping environments (0: all).</summary>
    public int Threads { get; init; }

    public IReadOnlyList<string> Validate(bool explore)
    {
        var e = new List<string>();
        if (EpisodesPerTrial < 1) e.Add($"rl2.episodesPerTrial {EpisodesPerTrial} is invalid; allowed: an integer ≥ 1");
        if (explore && (ExploreEpisodes < 1 || ExploreEpisodes >= EpisodesPerTrial))
            e.Add($"rl2.exploreEpisodes {ExploreEpisodes} is invalid; allowed: 1 to episodesPerTrial − 1 ({EpisodesPerTrial - 1})");
        if (TrialsPerTask < 1) e.Add($"rl2.trialsPerTask {TrialsPerTask} is invalid; allowed: an integer ≥ 1");
        if (Width < 1) e.Add($"rl2.width {Width} is invalid; allowed: an integer ≥ 1");
        if (!(Gamma > 0 && Gamma <= 1)) e.Add($"rl2.gamma {Gamma} is invalid; allowed: (0, 1]");
        if (!(Lambda >= 0 && Lambda <= 1)) e.Add($"rl2.lambda {Lambda} is invalid; allowed: [0, 1]");
        if (!(Clip > 0)) e.Add($"rl2.clip {Clip} is invalid; allowed: > 0");
        if (Epochs < 1) e.Add($"rl2.epochs {Epochs} is invalid; allowed: an integer ≥ 1");
        if (Minibatches < 1) e.Add($"rl2.minibatches {Minibatches} is invalid; allowed: an integer ≥ 1 (at most the trials per iteration)");
        if (!(LearningRate > 0)) e.Add($"rl2.learningRate {LearningRate} is invalid; allowed: > 0");
        if (!(ValueWeight >= 0)) e.Add($"rl2.valueWeight {ValueWeight} is invalid; allowed: ≥ 0");
        if (!(EntropyWeight >= 0)) e.Add($"rl2.entropyWeight {EntropyWeight} is invalid; allowed: ≥ 0");
        if (!(MaxGradientNorm >= 0)) e.Add($"rl2.maxGradientNorm {MaxGradientNorm} is invalid; allowed: ≥ 0 (0: no clipping)");
        if (Threads < 0) e.Add($"rl2.threads {Threads} is invalid; allowed: 0 (all cores) or more");
        return e;
    }
}
