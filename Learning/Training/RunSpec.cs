using MetaRl.Learning.Algorithms.Meta;
using MetaRl.Learning.Algorithms.Supervised;
using MetaRl.Learning.Environments;
using MetaRl.Learning.Robust.Cem;

namespace MetaRl.Learning.Training;

/// <summary>How tasks are chosen and weighted: the meta-learner alone, or one of the robust wrappers.</summary>
public static class RobustMethods
{
    public const string Baseline = "baseline";
    public const string CvarMl = "cvar-ml";
    public const string Roml = "roml";
    public static readonly IReadOnlyList<string> All = [Baseline, CvarMl, Roml];
}

/// <summary>The meta-learners, by the name specs use.</summary>
public static class Learners
{
    public const string MamlTrpo = "maml-trpo";
    public const string EMamlTrpo = "e-maml-trpo";
    public const string ProMp = "promp";
    public const string Reptile = "reptile";
    public const string Maml = "maml";
    public const string Mql = "mql";
    public const string Rl2 = "rl2";
    public const string ERl2 = "erl2";
    public static readonly IReadOnlyList<string> Rl = [MamlTrpo, EMamlTrpo, ProMp, Reptile, Mql, Rl2, ERl2];

    /// <summary>Learners that need a continuous action space.</summary>
    public static readonly IReadOnlyList<string> ContinuousOnly = [Mql];
    public static readonly IReadOnlyList<string> Supervised = [Maml, Reptile];

    /// <summary>Every learner, as messages and help list them: "maml-trpo, … (RL); maml, reptile (supervised)".</summary>
    public static string Listed => $"{string.Join(", ", Rl)} (RL); {string.Join(", ", Supervised)} (supervised)";
}

/// <summary>The evaluation protocol of a run (ALGORITHMS.md): fixed seeded task sets shared by every method.</summary>
public sealed record EvaluationSpec
{
    public int TestTasks { get; init; } = 1000;
    public int ValidationTasks { get; init; } = 32;

    /// <summary>Validate (and keep the best checkpoint) every this many iterations (0: never).</summary>
    public int ValidateEvery { get; init; } = 10;

    /// <summary>Seeds of the fixed sets: the same for every method, α and seed of a sweep.</summary>
    public ulong TestSeed { get; init; } = 1_000_003;
    public ulong ValidationSeed { get; init; } = 2_000_003;

    /// <summary>
    /// Where the test tasks are drawn: one [low, high] per unit-interval latent dimension
    /// (<see cref="LatentRange"/>); null: the original distribution. With MQL's
    /// <c>mql.trainingLatentRange</c> this makes an out-of-distribution test set.
    /// </summary>
    public double[][]? TestLatentRange { get; init; }

    /// <summary>The fixed test tasks of <paramref name="family"/>.</summary>
    public IReadOnlyList<MetaTask> TestSet(ITaskFamily family) => family.FixedTaskSet(TestTasks, TestSeed, TestLatentRange);
}

/// <summary>
/// One training run, everything that determines its result: family, learner and its settings,
/// robust method and α, seed, budget, CEM settings and evaluation protocol.
/// </summary>
public sealed record RunSpec
{
    public string Family { get; init; } = "Sine";
    public string Learner { get; init; } = Learners.Maml;
    public string Method { get; init; } = RobustMethods.Baseline;
    public double Alpha { get; init; } = 0.05;
    public ulong Seed { get; init; }
    public int Iterations { get; init; } = 1000;
    public int MetaBatch { get; init; } = 20;

    /// <summary>libtorch device of the run: "cpu", or "cuda" where the libtorch in use has CUDA.</summary>
    public string Device { get; init; } = "cpu";
    public bool SoftAlphaSchedule { get; init; }

    /// <summary>
    /// How RoML's learner weighs the tasks the CEM over-samples: "none" (the default, and RoML as
    /// published: the learner trains on D_φ, which is what makes it optimise the tail) or
    /// "importance" (each task × p_φ0/p_φ: an unbiased estimate of the original mean objective — a
    /// variance-reduction device, not a robust one). The CEM uses the importance weights either way.
    /// </summary>
    public string RomlLearnerWeights { get; init; } = "none";
    public RlLearnerOptions Rl { get; init; } = new();
    public TrpoOptions Trpo { get; init; } = new();
    public ProMpOptions ProMp { get; init; } = new();
    public int ReptileInnerSteps { get; init; } = 2;
    public double ReptileStepSize { get; init; } = 0.1;
    public SupervisedOptions Supervised { get; init; } = new();
    public Algorithms.Mql.MqlOptions Mql { get; init; } = new();
    public Algorithms.Recurrent.Rl2Options Rl2 { get; init; } = new();
    public CemSettings Cem { get; init; } = new() { BatchSize = 200, Alpha = 0.05, OriginalFraction = 0 };
    public EvaluationSpec Evaluation { get; init; } = new();

    /// <summary>
    /// Upper limits on every size (docs/SWEEPS.md, "Limits"): a run that could not fit in memory or
    /// finish is refused before anything is stored, rather than failing hours later.
    /// </summary>
    private void Limits(List<string> e)
    {
        // Lower bounds are each section's own Validate; these are the upper ones.
        void Most(string name, long value, long max)
        {
            if (value > max) e.Add($"{name} {value} is invalid; allowed: at most {max}");
        }
        void Widths(string name, int[] widths)
        {
            if (widths.Length > 16 || widths.Any(w => w > 4096)) e.Add($"{name} is invalid; allowed: at most 16 layers, each 1–4096 wide");
        }
        Most("iterations", Iterations, 10_000_000);
        Most("metaBatch", MetaBatch, 10_000);
        Most("evaluation.testTasks", Evaluation.TestTasks, 1_000_000);
        Most("evaluation.validationTasks", Evaluation.ValidationTasks, 100_000);
        Most("evaluation.validateEvery", Evaluation.ValidateEvery, 10_000_000);
        Most("reptileInnerSteps", ReptileInnerSteps, 1_000);
        Most("trpo.cgIterations", Trpo.CgIterations, 1_000);
        Most("trpo.maxBacktracks", Trpo.MaxBacktracks, 100);
        Most("rl.episodesPerTask", Rl.EpisodesPerTask, 10_000);
        Widths("rl.hidden", Rl.Hidden);
        Most("supervised.supportPoints", Supervised.SupportPoints, 100_000);
        Most("supervised.queryPoints", Supervised.QueryPoints, 100_000);
        Most("supervised.innerSteps", Supervised.InnerSteps, 1_000);
        Widths("supervised.hidden", Supervised.Hidden);
        Most("cem.batchSize", Cem.BatchSize, 100_000);
        Widths("mql.hidden", Mql.Hidden);
        Most("mql.batchSize", Mql.BatchSize, 100_000);
        Most("mql.trainingTasks", Mql.TrainingTasks, 10_000);
        Most("mql.replayPerTask", Mql.ReplayPerTask, 10_000_000);
        Most("mql.history", Mql.History, 1_000);
        Most("mql.contextWidth", Mql.ContextWidth, 4_096);
        Most("mql.adaptationSteps", Mql.AdaptationSteps, 1_000_000);
        Most("mql.propensityReplaySamples", Mql.PropensityReplaySamples, 1_000_000);
        Most("mql.adaptationPhase1Steps", Mql.AdaptationPhase1Steps, 100_000);
        Most("mql.adaptationPhase2Steps", Mql.AdaptationPhase2Steps, 100_000);
        Most("mql.adaptationBatchMultiplier", Mql.AdaptationBatchMultiplier, 100);
        Most("rl2.width", Rl2.Width, 4_096);
        Most("rl2.trialsPerTask", Rl2.TrialsPerTask, 10_000);
        Most("rl2.episodesPerTrial", Rl2.EpisodesPerTrial, 1_000);
        Most("rl2.epochs", Rl2.Epochs, 1_000);
        Most("rl2.minibatches", Rl2.Minibatches, 10_000);
    }

    /// <summary>Every problem, each naming the field and what is allowed. Empty when valid.</summary>
    public IReadOnlyList<string> Validate()
    {
        var e = SettingsCheck.Check(this);
        if (e.Count > 0) return e; // the checks below may rely on lists without null entries
        if (!TaskFamilies.Exists(Family)) e.Add($"family '{Family}' is not known; allowed: {string.Join(", ", TaskFamilies.Names)}");
        else
        {
            bool supervised = TaskFamilies.Create(Family) is ISupervisedTaskFamily;
            var allowed = supervised ? Learners.Supervised : Learners.Rl;
            if (!allowed.Contains(Learner)) e.Add($"learner '{Learner}' is not available for {Family}; allowed: {string.Join(", ", allowed)}");
            if (Learner == Learners.Mql && TaskFamilies.Create(Family) is IRlTaskFamily { ActionSpace: not BoxSpace })
                e.Add($"learner '{Learner}' needs continuous actions; {Family} has discrete actions; allowed: {string.Join(", ", Learners.Rl.Except(Learners.ContinuousOnly))}");
        }
        // Every section is checked, used by this learner or not: a bad value is refused wherever it is written.
        e.AddRange(Supervised.Validate());
        e.AddRange(Rl.Validate());
        e.AddRange(Rl2.Validate(explore: Learner == Learners.ERl2));
        e.AddRange(Mql.Validate());
        if (!RobustMethods.All.Contains(Method)) e.Add($"method '{Method}' is not known; allowed: {string.Join(", ", RobustMethods.All)}");
        if (!(Alpha > 0 && Alpha <= 1)) e.Add($"alpha {Alpha} is invalid; allowed: (0, 1]");
        if (Iterations < 1) e.Add($"iterations {Iterations} is invalid; allowed: an integer ≥ 1");
        if (MetaBatch < 1) e.Add($"metaBatch {MetaBatch} is invalid; allowed: an integer ≥ 1");
        if (RomlLearnerWeights is not ("none" or "importance")) e.Add($"romlLearnerWeights '{RomlLearnerWeights}' is not known; allowed: none, importance");
        if (Device is not ("cpu" or "cuda")) e.Add($"device '{Device}' is not known; allowed: cpu, cuda");
        e.AddRange(Cem.Validate());
        if (Method == RobustMethods.Roml)
        {
            if (Cem.BatchSize % Math.Max(MetaBatch, 1) != 0)
                e.Add($"cem.batchSize {Cem.BatchSize} is invalid; allowed: a multiple of metaBatch ({MetaBatch}), so CEM batches are whole meta-batches");
        }
        if (Evaluation.TestTasks < 1) e.Add($"evaluation.testTasks {Evaluation.TestTasks} is invalid; allowed: an integer ≥ 1");
        if (Evaluation.ValidationTasks < 1) e.Add($"evaluation.validationTasks {Evaluation.ValidationTasks} is invalid; allowed: an integer ≥ 1");
        if (TaskFamilies.Exists(Family))
        {
            var family = TaskFamilies.Create(Family);
            e.AddRange(LatentRange.Validate(family, Evaluation.TestLatentRange, "evaluation.testLatentRange"));
            if (Learner == Learners.Mql) e.AddRange(LatentRange.Validate(family, Mql.TrainingLatentRange, "mql.trainingLatentRange"));
        }
        if (Evaluation.ValidateEvery < 0) e.Add($"evaluation.validateEvery {Evaluation.ValidateEvery} is invalid; allowed: 0 (never) or more");
        if (!(Trpo.MaxKl > 0 && Trpo.MaxKl <= 1)) e.Add($"trpo.maxKl {Trpo.MaxKl} is invalid; allowed: (0, 1]");
        if (!(Trpo.CgDamping >= 0 && Trpo.CgDamping <= 1e3)) e.Add($"trpo.cgDamping {Trpo.CgDamping} is invalid; allowed: 0–1000");
        if (!(Trpo.BacktrackRatio > 0 && Trpo.BacktrackRatio < 1)) e.Add($"trpo.backtrackRatio {Trpo.BacktrackRatio} is invalid; allowed: (0, 1)");
        if (!(ReptileStepSize > 0 && ReptileStepSize <= 1)) e.Add($"reptileStepSize {ReptileStepSize} is invalid; allowed: (0, 1]");
        if (ReptileInnerSteps < 1) e.Add($"reptileInnerSteps {ReptileInnerSteps} is invalid; allowed: an integer ≥ 1");
        if (Trpo.CgIterations < 1) e.Add($"trpo.cgIterations {Trpo.CgIterations} is invalid; allowed: an integer ≥ 1");
        if (Trpo.MaxBacktracks < 0) e.Add($"trpo.maxBacktracks {Trpo.MaxBacktracks} is invalid; allowed: an integer ≥ 0");
        Limits(e);
        return e;
    }
}
