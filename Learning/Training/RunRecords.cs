namespace MetaRl.Learning.Training;

/// <summary>A validation of the current meta-parameters on the fixed validation tasks.</summary>
public sealed record ValidationPoint(int Iteration, double Mean, double Cvar, bool Best);

/// <summary>
/// One meta-iteration, as a metric line: deterministic (no wall-clock time), so an interrupted and
/// resumed run writes exactly the lines an uninterrupted one does.
/// </summary>
public sealed record IterationMetrics(
    int Iteration,
    double MeanScore,
    double CvarScore,
    double MeanPreScore,
    double Alpha,
    long EnvironmentSteps,
    long TotalEnvironmentSteps,
    double[][]? CemPhi,
    ValidationPoint? Validation,
    IReadOnlyDictionary<string, double> Diagnostics);

/// <summary>Mean and CVaR_α over a fixed task set, with every task's score kept.</summary>
public sealed record EvaluationSummary(double Mean, double Cvar, double PreMean, double PreCvar, double[] Scores, double[] PreScores);

/// <summary>
/// The final report of a run: the selected checkpoint and the final model, on the test tasks, with
/// each test task's latent point (in the order of the scores).
/// </summary>
public sealed record RunResult(int BestIteration, string SelectedBy, EvaluationSummary Best, EvaluationSummary Final, double[][]? TestLatents = null);

/// <summary>Everything but tensors that a run needs to continue exactly (stored as JSON beside the tensors).</summary>
public sealed record RunProgress
{
    public int Iteration { get; init; }
    public long TotalEnvironmentSteps { get; init; }
    public byte[] TaskRandomState { get; init; } = [];
    public Robust.Cem.CemState? Cem { get; init; }
    public int CemCursor { get; init; }
    public double[] CemScoresSoFar { get; init; } = [];
    public double BestValidationScore { get; init; } = double.NegativeInfinity;
    public int BestIteration { get; init; } = -1;
    public List<ValidationPoint> Validations { get; init; } = [];
}
