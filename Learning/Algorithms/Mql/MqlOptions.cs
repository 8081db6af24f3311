namespace MetaRl.Learning.Algorithms.Mql;

/// <summary>
/// Meta-Q-Learning's settings, with the authors' values for HalfCheetah-Vel as defaults
/// (ALGORITHMS.md): TD3 with (300, 300) networks, batch 256, γ 0.99, τ 0.005, target noise 0.2
/// (0.3 in the authors' HalfCheetah-Vel run) clipped at 0.5, policy delay 2, exploration noise 0.3,
/// learning rate 1e-3, 10⁴ burn-in steps; context history 20 transitions into a GRU of width 15; 100
/// training tasks; adaptation on 500 new-task steps, a propensity classifier with C = 0.1, β = the
/// odds clipped at e (the authors clip the logit at 1) and 0 below 0.1, 10 TD3 steps on the new task
/// and 100 β-weighted proximal steps on meta-training replay in batches 5× the training batch.
/// </summary>
public sealed record MqlOptions
{
    public int[] Hidden { get; init; } = [300, 300];
    public int BatchSize { get; init; } = 256;
    public double Gamma { get; init; } = 0.99;
    public double Tau { get; init; } = 0.005;
    public double LearningRate { get; init; } = 1e-3;
    public double TargetNoise { get; init; } = 0.3;
    public double TargetNoiseClip { get; init; } = 0.5;
    public int PolicyDelay { get; init; } = 2;
    public double ExplorationNoise { get; init; } = 0.3;

    /// <summary>Environment steps with uniformly random actions before the actor acts (over the whole run).</summary>
    public int BurnInSteps { get; init; } = 10_000;

    /// <summary>TD3 updates per environment step collected.</summary>
    public double UpdatesPerStep { get; init; } = 1.0;

    /// <summary>Episodes collected per task of the meta-batch each iteration.</summary>
    public int EpisodesPerTask { get; init; } = 1;

    /// <summary>Context window: the last H transitions.</summary>
    public int History { get; init; } = 20;

    /// <summary>Width of each context GRU.</summary>
    public int ContextWidth { get; init; } = 15;

    /// <summary>The fixed set of meta-training tasks (each with its own replay buffer); a run's tasks map to the nearest one.</summary>
    public int TrainingTasks { get; init; } = 100;

    /// <summary>
    /// Where the training tasks are drawn (<see cref="Environments.LatentRange"/>: one [low, high] per
    /// latent dimension); null: the family's original distribution. A run's meta-batch tasks still map
    /// to the nearest training task, so training never leaves this box.
    /// </summary>
    public double[][]? TrainingLatentRange { get; init; }

    /// <summary>Seed of the training task set: the same for every run, method and seed of a sweep.</summary>
    public ulong TrainingTaskSeed { get; init; } = 3_000_003;

    /// <summary>Transitions kept per training task (1e6 over 100 tasks, as MQL's replay).</summary>
    public int ReplayPerTask { get; init; } = 10_000;

    /// <summary>Transitions per replay segment (the unit a checkpoint writes once).</summary>
    public int SegmentSize { get; init; } = 1_000;

    /// <summary>New-task environment steps collected before adapting.</summary>
    public int AdaptationSteps { get; init; } = 500;

    /// <summary>The propensity classifier's regularisation C (smaller: stronger).</summary>
    public double PropensityC { get; init; } = 0.1;

    /// <summary>β is clipped to this odds value (the authors clip the logit at 1: odds e).</summary>
    public double OddsClip { get; init; } = Math.E;

    /// <summary>β below this is 0: replay samples that hardly look like the new task do not count.</summary>
    public double OddsFloor { get; init; } = 0.1;

    /// <summary>Meta-training replay samples the classifier is fitted on (and its ESS computed over).</summary>
    public int PropensityReplaySamples { get; init; } = 2_000;

    /// <summary>Phase 1: TD3 steps on new-task data; phase 2: β-weighted TD3 steps on meta-training replay.</summary>
    public int AdaptationPhase1Steps { get; init; } = 10;
    public int AdaptationPhase2Steps { get; init; } = 100;

    /// <summary>Phase 2's batches (fresh meta-training replay samples, each weighted by its β) hold this many training batches.</summary>
    public int AdaptationBatchMultiplier { get; init; } = 5;

    /// <summary>Cores for stepping environments (0: all).</summary>
    public int Threads { get; init; }

    public int MaxSegments => (ReplayPerTask + SegmentSize - 1) / SegmentSize + 1;

    public IReadOnlyList<string> Validate()
    {
        var e = new List<string>();
        void Positive(string name, double v) { if (!(v > 0)) e.Add($"mql.{name} {v} is invalid; allowed: > 0"); }
        void AtLeast(string name, long v, long min) { if (v < min) e.Add($"mql.{name} {v} is invalid; allowed: an integer ≥ {min}"); }
        if (Hidden.Length == 0 || Hidden.Any(h => h < 1)) e.Add("mql.hidden is invalid; allowed: one or more layer widths ≥ 1");
        AtLeast("batchSize", BatchSize, 1);
        if (!(Gamma > 0 && Gamma <= 1)) e.Add($"mql.gamma {Gamma} is invalid; allowed: (0, 1]");
        if (!(Tau > 0 && Tau <= 1)) e.Add($"mql.tau {Tau} is invalid; allowed: (0, 1]");
        Positive("learningRate", LearningRate);
        if (!(TargetNoise >= 0)) e.Add($"mql.targetNoise {TargetNoise} is invalid; allowed: ≥ 0");
        if (!(TargetNoiseClip >= 0)) e.Add($"mql.targetNoiseClip {TargetNoiseClip} is invalid; allowed: ≥ 0");
        AtLeast("policyDelay", PolicyDelay, 1);
        if (!(ExplorationNoise >= 0)) e.Add($"mql.explorationNoise {ExplorationNoise} is invalid; allowed: ≥ 0");
        AtLeast("burnInSteps", BurnInSteps, 0);
        if (!(UpdatesPerStep >= 0)) e.Add($"mql.updatesPerStep {UpdatesPerStep} is invalid; allowed: ≥ 0");
        AtLeast("episodesPerTask", EpisodesPerTask, 1);
        AtLeast("history", History, 1);
        AtLeast("contextWidth", ContextWidth, 1);
        AtLeast("trainingTasks", TrainingTasks, 1);
        AtLeast("segmentSize", SegmentSize, 1);
        if (ReplayPerTask < SegmentSize) e.Add($"mql.replayPerTask {ReplayPerTask} is invalid; allowed: at least one segment ({SegmentSize})");
        AtLeast("adaptationSteps", AdaptationSteps, 1);
        Positive("propensityC", PropensityC);
        if (!(OddsClip >= 1)) e.Add($"mql.oddsClip {OddsClip} is invalid; allowed: ≥ 1");
        if (!(OddsFloor >= 0 && OddsFloor < OddsClip)) e.Add($"mql.oddsFloor {OddsFloor} is invalid; allowed: ≥ 0 and below mql.oddsClip");
        AtLeast("adaptationBatchMultiplier", AdaptationBatchMultiplier, 1);
        AtLeast("propensityReplaySamples", PropensityReplaySamples, 1);
        AtLeast("adaptationPhase1Steps", AdaptationPhase1Steps, 0);
        AtLeast("adaptationPhase2Steps", AdaptationPhase2Steps, 0);
        AtLeast("threads", Threads, 0);
        return e;
    }
}
