namespace MetaRl.Grains.Interfaces.Reports;

/// <summary>A mean over seeds with its 95% confidence interval (Student's t).</summary>
[GenerateSerializer, Immutable, Alias("metarl.Interval")]
public sealed record Interval(double Mean, double HalfWidth, int Count)
{
    public double Low => Mean - HalfWidth;
    public double High => Mean + HalfWidth;
}

/// <summary>One cell of the paper-style table: a method at an α, over seeds.</summary>
[GenerateSerializer, Immutable, Alias("metarl.ReportCell")]
public sealed record ReportCell(string Method, double Alpha, int Seeds, Interval Mean, Interval Cvar, Interval FinalMean, Interval FinalCvar, Interval PreMean);

/// <summary>
/// A learning curve over the seeds of one method at one α: each iteration's training-batch mean
/// score and batch CVaR, and the validation mean and CVaR_α on the fixed validation tasks where
/// validations ran (the honest comparison across methods: RoML's training batches are harder by
/// design) — each the mean over seeds with the half-width of its 95% confidence interval.
/// </summary>
[GenerateSerializer, Immutable, Alias("metarl.LearningCurve")]
public sealed record LearningCurve(string Method, double Alpha, int Seeds, int[] Iterations,
    double[] MeanScore, double[] MeanScoreHalfWidth, double[] CvarScore, double[] CvarScoreHalfWidth,
    int[] ValidationIterations, double[] ValidationMean, double[] ValidationMeanHalfWidth, double[] ValidationCvar, double[] ValidationCvarHalfWidth);

/// <summary>The CEM's task distribution over one robust run's training: φ per latent dimension ([dimension][i]) at each iteration.</summary>
[GenerateSerializer, Immutable, Alias("metarl.CemTrajectory")]
public sealed record CemTrajectory(string RunId, string Method, double Alpha, ulong Seed, int[] Iterations, double[][] Phi);

/// <summary>Everything `metarl sweep report` shows: progress, the table, CVaR-vs-α and learning curves, the CEM's φ over training.</summary>
[GenerateSerializer, Immutable, Alias("metarl.SweepReportData")]
public sealed record SweepReportData(
    string SweepId,
    string Family,
    string Learner,
    int Runs,
    int Completed,
    int Running,
    int Failed,
    int Cancelled,
    List<ReportCell> Cells,
    List<LearningCurve> Curves,
    Dictionary<string, double[]> CemPhiByRun,
    List<CemTrajectory> CemTrajectories,
    List<string> Problems);
