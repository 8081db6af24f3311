using System.Text.Json;
using MetaRl.Learning.Algorithms.Meta;
using MetaRl.Learning.Algorithms.Supervised;
using MetaRl.Learning.Common;
using MetaRl.Learning.Environments;
using MetaRl.Learning.Robust;
using MetaRl.Learning.Robust.Cem;

namespace MetaRl.Learning.Training;

/// <summary>
/// One training run: a meta-learner wrapped by a robust method (baseline, CVaR-ML or RoML),
/// stepped one meta-iteration at a time, validated on a fixed task set to keep the best checkpoint
/// (by CVaR_α for the robust methods, by the mean for the baseline), and finally tested. Its whole
/// state — learner, optimizer, CEM, random streams, counters, best checkpoint — round-trips through
/// <see cref="SaveState"/>, so a resumed run continues exactly.
/// </summary>
public sealed class MetaTrainingRun : IDisposable
{
    /// <summary>run.progress JSON: ±∞ allowed (the best validation score starts at −∞).</summary>
    private static readonly JsonSerializerOptions ProgressJson = new() { NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals };

    private readonly RandomStream _taskRandom;
    private readonly ITaskSampler _sampler;
    private readonly ITaskFilter _filter;
    private readonly IReadOnlyList<MetaTask> _validation;
    private RunProgress _progress = new();
    private byte[]? _bestParameters;

    public MetaTrainingRun(RunSpec spec)
    {
        var errors = spec.Validate();
        if (errors.Count > 0) throw new ArgumentException(string.Join("; ", errors), nameof(spec));
        if (spec.Device == "cuda")
        {
            // Never assumed: the device is a run setting, checked against the libtorch this process loaded.
            throw new NotSupportedException(TorchRuntime.CudaAvailable
                ? "device 'cuda': this libtorch has CUDA, but the learners place their tensors on the CPU; run with device 'cpu'"
                : "device 'cuda': this build of TorchSharp runs on libtorch's CPU build (no CUDA); run with device 'cpu'");
        }
        Spec = spec;
        Family = TaskFamilies.Create(spec.Family);
        Learner = CreateLearner(spec, Family);
        _taskRandom = RandomStream.FromKeys(spec.Seed, 11);
        Cem = spec.Method == RobustMethods.Roml ? DynamicTargetCem.ForFamily(Family, spec.Cem with { Alpha = spec.Alpha }, RandomStream.FromKeys(spec.Seed, 12).NextUInt64()) : null;
        _sampler = Cem is not null ? new RomlTaskSampler(Family, Cem) : new OriginalTaskSampler(Family, _taskRandom);
        _filter = spec.Method == RobustMethods.CvarMl ? new CvarFilter(() => CurrentAlpha) : KeepAllTasks.Instance;
        _validation = Family.FixedTaskSet(spec.Evaluation.ValidationTasks, spec.Evaluation.ValidationSeed);
    }

    public RunSpec Spec { get; }
    public ITaskFamily Family { get; }
    public IMetaLearner Learner { get; }
    public DynamicTargetCem? Cem { get; }

    /// <summary>Meta-iterations completed.</summary>
    public int Iteration => _progress.Iteration;
    public bool Done => _progress.Iteration >= Spec.Iterations;
    public IReadOnlyList<ValidationPoint> Validations => _progress.Validations;
    public int BestIteration => _progress.BestIteration;

    /// <summary>
    /// Told where the run is at the start of each iteration and as validations and tests go, task by
    /// task where the learner can tell (null: nobody listens). Reports come on the run's own thread,
    /// and change nothing the run computes.
    /// </summary>
    public IProgress<RunPhase>? Progress { get; set; }

    /// <summary>α now: the target, or RoML's soft schedule from the mean towards it.</summary>
    public double CurrentAlpha => AlphaSchedule.At(Spec.Alpha, (double)_progress.Iteration / Spec.Iterations, Spec.SoftAlphaSchedule);

    private bool Robust => Spec.Method != RobustMethods.Baseline;

    public static IMetaLearner CreateLearner(RunSpec spec, ITaskFamily family)
    {
        ulong seed = RandomStream.FromKeys(spec.Seed, 10).NextUInt64();
        if (family is ISupervisedTaskFamily supervised)
            return spec.Learner == Learners.Reptile
                ? new SupervisedReptile(supervised, spec.Supervised, seed)
                : new SupervisedMaml(supervised, spec.Supervised, seed);
        var rl = (IRlTaskFamily)family;
        return spec.Learner switch
        {
            Learners.MamlTrpo => new Maml(rl, spec.Rl, spec.Trpo, seed),
            Learners.EMamlTrpo => EMaml.Create(rl, spec.Rl, spec.Trpo, seed),
            Learners.ProMp => new ProMp(rl, spec.Rl, spec.ProMp, seed),
            Learners.Reptile => new Reptile(rl, spec.Rl, seed, spec.ReptileInnerSteps, spec.ReptileStepSize),
            Learners.Mql => new Algorithms.Mql.MqlLearner(rl, spec.Mql, seed),
            Learners.Rl2 => new Algorithms.Recurrent.Rl2Learner(rl, spec.Rl2, explore: false, seed),
            Learners.ERl2 => new Algorithms.Recurrent.Rl2Learner(rl, spec.Rl2, explore: true, seed),
            _ => throw new ArgumentException($"learner '{spec.Learner}' is not known"),
        };
    }

    /// <summary>One meta-iteration (and a validation when one is due).</summary>
    public IterationMetrics Step()
    {
        if (Done) throw new InvalidOperationException("the run has completed all its iterations");
        Progress?.Report(new RunPhase(PhaseKind.Training, "iteration", _progress.Iteration, Spec.Iterations));
        double alpha = CurrentAlpha;
        if (Cem is not null) Cem.Alpha = alpha;
        var batch = _sampler.Next(Spec.MetaBatch);
        // RoML's learner trains on the over-sampled distribution itself (see RunSpec.RomlLearnerWeights);
        // the importance weights stay with the CEM, which needs them for the original distribution's quantile.
        var learnerBatch = Cem is not null && Spec.RomlLearnerWeights == "none" ? TaskBatch.Uniform(batch.Tasks) : batch;
        var report = Learner.Iterate(learnerBatch, _filter, _progress.Iteration);
        _sampler.Report(report.Scores);
        int iteration = _progress.Iteration + 1;
        _progress = _progress with { Iteration = iteration, TotalEnvironmentSteps = _progress.TotalEnvironmentSteps + report.EnvironmentSteps };

        ValidationPoint? validation = null;
        int every = Spec.Evaluation.ValidateEvery;
        if (every > 0 && (iteration % every == 0 || iteration == Spec.Iterations)) validation = Validate(iteration);

        return new IterationMetrics(iteration, report.Scores.Average(), Cvar.Of(report.Scores, Spec.Alpha), report.PreScores.Average(), alpha,
            report.EnvironmentSteps, _progress.TotalEnvironmentSteps, Cem?.Phi.Select(p => (double[])p.Clone()).ToArray(), validation, report.Diagnostics);
    }

    private ValidationPoint Validate(int iteration)
    {
        var scores = Evaluate(_validation, Spec.Evaluation.ValidationSeed, PhaseKind.Validation, "validation").Post;
        double mean = scores.Average(), cvar = Cvar.Of(scores, Spec.Alpha);
        double criterion = Robust ? cvar : mean;
        bool best = criterion > _progress.BestValidationScore;
        if (best)
        {
            _bestParameters = Learner.SaveParameters();
            _progress = _progress with { BestValidationScore = criterion, BestIteration = iteration };
        }
        var point = new ValidationPoint(iteration, mean, cvar, best);
        _progress.Validations.Add(point);
        return point;
    }

    /// <summary>The kept checkpoint's parameters (the current ones when no validation has run).</summary>
    public byte[] SelectedParameters() => _bestParameters ?? Learner.SaveParameters();

    /// <summary>Tests the selected checkpoint and the final model on the fixed test tasks (the learner ends on the final model).</summary>
    public RunResult Finish()
    {
        var test = Spec.Evaluation.TestSet(Family);
        var finalParameters = Learner.SaveParameters();
        var final = Summarize(Evaluate(test, Spec.Evaluation.TestSeed, PhaseKind.Test, "the final model"));
        var best = final;
        if (_bestParameters is not null && _progress.BestIteration != _progress.Iteration)
        {
            Learner.LoadParameters(_bestParameters);
            best = Summarize(Evaluate(test, Spec.Evaluation.TestSeed, PhaseKind.Test, "the selected model"));
            Learner.LoadParameters(finalParameters);
        }
        return new RunResult(_progress.BestIteration < 0 ? _progress.Iteration : _progress.BestIteration,
            Robust ? $"validation CVaR_{Spec.Alpha}" : "validation mean", best, final, test.Select(t => t.Latent).ToArray());
    }

    /// <summary>The learner's evaluation, its progress told as a phase from 0 to every task.</summary>
    private EvaluationScores Evaluate(IReadOnlyList<MetaTask> tasks, ulong seed, PhaseKind kind, string what)
    {
        if (Progress is not { } progress) return Learner.Evaluate(tasks, seed);
        progress.Report(new RunPhase(kind, what, 0, tasks.Count));
        var scores = Learner.Evaluate(tasks, seed, new TaskCount(progress, kind, what, tasks.Count));
        progress.Report(new RunPhase(kind, what, tasks.Count, tasks.Count));
        return scores;
    }

    private EvaluationSummary Summarize(EvaluationScores s) =>
        new(s.Post.Average(), Cvar.Of(s.Post, Spec.Alpha), s.Pre.Average(), Cvar.Of(s.Pre, Spec.Alpha), s.Post, s.Pre);

    /// <summary>The learner's pieces, when its state has any (<see cref="IStatePieces"/>).</summary>
    public IStatePieces? Pieces => Learner as IStatePieces;

    /// <summary>
    /// The learner's parameters and optimizer state, plus "run.progress" (JSON) and "run.best" (the kept
    /// checkpoint). With <paramref name="apart"/>, a learner with pieces leaves them out and lists them.
    /// </summary>
    public TensorArchive SaveState(bool apart = false)
    {
        var archive = new TensorArchive();
        var learnerState = apart && Pieces is { } p ? p.SaveStateApart() : Learner.SaveState();
        foreach (var e in learnerState.Entries) archive.Add(e with { Name = "learner." + e.Name });
        var progress = _progress with
        {
            TaskRandomState = _taskRandom.GetState(),
            Cem = Cem?.SaveState(),
            CemCursor = (_sampler as RomlTaskSampler)?.Cursor ?? 0,
            CemScoresSoFar = (_sampler as RomlTaskSampler)?.ScoresSoFar.ToArray() ?? [],
        };
        archive.AddBytes("run.progress", JsonSerializer.SerializeToUtf8Bytes(progress, ProgressJson));
        if (_bestParameters is not null) archive.AddBytes("run.best", _bestParameters);
        return archive;
    }

    /// <summary>The pieces a state saved apart needs (empty for a self-contained one).</summary>
    public static IReadOnlyList<StatePiece> PiecesNeeded(TensorArchive archive) => StatePieces.PiecesIn(archive, "learner.");

    /// <summary>Restores a state; one saved apart needs <paramref name="fetch"/> to give its pieces.</summary>
    public void LoadState(TensorArchive archive, Func<StatePiece, byte[]>? fetch = null)
    {
        var progress = JsonSerializer.Deserialize<RunProgress>(archive.GetBytes("run.progress"), ProgressJson) ?? throw new InvalidDataException("run.progress is empty");
        var learner = new TensorArchive();
        foreach (var e in archive.Entries.Where(e => e.Name.StartsWith("learner.", StringComparison.Ordinal))) learner.Add(e with { Name = e.Name["learner.".Length..] });
        if (learner.Contains(StatePieces.Entry))
        {
            if (Pieces is not { } pieces) throw new InvalidDataException($"the state lists pieces, but learner {Learner.Name} keeps none");
            pieces.LoadStateApart(learner, fetch ?? throw new ArgumentException("this state was saved apart from its pieces; give a way to fetch them", nameof(fetch)));
        }
        else Learner.LoadState(learner);
        _taskRandom.SetState(progress.TaskRandomState);
        if (Cem is not null && progress.Cem is not null) Cem.RestoreState(progress.Cem);
        (_sampler as RomlTaskSampler)?.Restore(progress.CemCursor, progress.CemScoresSoFar);
        _bestParameters = archive.Contains("run.best") ? archive.GetBytes("run.best") : null;
        _progress = progress with { TaskRandomState = [], Cem = null, CemScoresSoFar = [] };
    }

    public void Dispose() => Learner.Dispose();
}
