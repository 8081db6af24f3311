namespace MetaRl.Learning.Algorithms.Meta;

/// <summary>
/// What every gradient-based RL meta-learner shares, with MAML's published defaults
/// (ALGORITHMS.md): 20 rollouts per task, inner learning rate 0.1, one inner step, a (64, 64) tanh
/// policy, the linear feature baseline with GAE λ = 1, γ = 0.99.
/// </summary>
public sealed record RlLearnerOptions
{
    public int EpisodesPerTask { get; init; } = 20;
    public double InnerLearningRate { get; init; } = 0.1;
    public double Gamma { get; init; } = 0.99;
    public double Lambda { get; init; } = 1.0;
    public int[] Hidden { get; init; } = [64, 64];

    /// <summary>Advantages normalised per task (zero mean, unit variance) before every update.</summary>
    public bool NormalizeAdvantages { get; init; } = true;

    /// <summary>Cores for stepping environments (0: all).</summary>
    public int Threads { get; init; }

    public IReadOnlyList<string> Validate()
    {
        var e = new List<string>();
        if (EpisodesPerTask < 1) e.Add($"rl.episodesPerTask {EpisodesPerTask} is invalid; allowed: an integer ≥ 1");
        if (!(InnerLearningRate > 0)) e.Add($"rl.innerLearningRate {InnerLearningRate} is invalid; allowed: > 0");
        if (!(Gamma > 0 && Gamma <= 1)) e.Add($"rl.gamma {Gamma} is invalid; allowed: (0, 1]");
        if (!(Lambda >= 0 && Lambda <= 1)) e.Add($"rl.lambda {Lambda} is invalid; allowed: [0, 1]");
        if (Hidden.Length == 0 || Hidden.Any(h => h < 1)) e.Add("rl.hidden is invalid; allowed: one or more layer widths ≥ 1");
        if (Threads < 0) e.Add($"rl.threads {Threads} is invalid; allowed: 0 (all cores) or more");
        return e;
    }
}
