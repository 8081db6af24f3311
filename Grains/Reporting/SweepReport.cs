using System.Text;
using System.Text.Json;
using MetaRl.Grains.Execution;
using MetaRl.Grains.Interfaces;
using MetaRl.Grains.Interfaces.State;
using MetaRl.Learning.Evaluation;
using MetaRl.Learning.Robust;
using MetaRl.Learning.Training;
using MetaRl.Storage;

namespace MetaRl.Grains.Reporting;

/// <summary>One cell of the paper-style table: a method at an α, over seeds.</summary>
public sealed record ReportCell(string Method, double Alpha, int Seeds, MeanInterval Mean, MeanInterval Cvar, MeanInterval FinalMean, MeanInterval FinalCvar, MeanInterval PreMean);

/// <summary>
/// A learning curve, averaged over seeds: each iteration's training-batch mean score and batch CVaR,
/// and the validation mean and CVaR_α on the fixed validation tasks where validations ran (the
/// honest comparison across methods: RoML's training batches are harder by design).
/// </summary>
public sealed record LearningCurve(string Method, double Alpha, int[] Iterations, double[] MeanScore, double[] CvarScore,
    int[] ValidationIterations, double[] ValidationMean, double[] ValidationCvar);

/// <summary>Everything `metarl sweep report` shows: progress, the table, CVaR-vs-α and learning curves, CEM drift.</summary>
public sealed record SweepReportData(
    string SweepId,
    string Family,
    string Learner,
    int Runs,
    int Completed,
    int Running,
    int Failed,
    IReadOnlyList<ReportCell> Cells,
    IReadOnlyList<LearningCurve> Curves,
    IReadOnlyDictionary<string, double[]> CemPhiByRun);

public static class SweepReport
{
    /// <summary>
    /// Reads the sweep, its runs' states, results and metrics. The baseline (which does not depend
    /// on α) is evaluated at every α of the sweep from its per-task test scores.
    /// </summary>
    public static async Task<SweepReportData> BuildAsync(IBlobStore store, string sweepId, CancellationToken ct)
    {
        var sweep = (await store.ReadAsync<SweepState>(StoragePaths.Sweep(sweepId), ct).ConfigureAwait(false))?.Value
                    ?? throw new KeyNotFoundException($"sweep '{sweepId}' does not exist");
        var results = new Dictionary<string, RunResultDocument>();
        var statuses = new Dictionary<string, RunStatus>();
        var curves = new Dictionary<string, List<(int Iteration, double Mean, double Cvar, ValidationPoint? Validation)>>();
        var grains = new GrainFactory(store);
        await Parallel.ForEachAsync(sweep.Runs, new ParallelOptions { MaxDegreeOfParallelism = 16, CancellationToken = ct }, async (run, token) =>
        {
            var state = (await store.ReadAsync<RunState>(StoragePaths.Run(run.RunId), token).ConfigureAwait(false))?.Value;
            var result = await store.ReadAsync<RunResultDocument>(StoragePaths.RunResult(run.RunId), token).ConfigureAwait(false);
            var lines = state is null ? [] : await grains.Run(run.RunId).MetricsAsync(0, token).ConfigureAwait(false);
            var points = lines.Select(l => JsonSerializer.Deserialize<IterationMetrics>(l, GrainJson.Options)!).Select(m => (m.Iteration, m.MeanScore, m.CvarScore, m.Validation)).ToList();
            lock (results)
            {
                if (state is not null) statuses[run.RunId] = state.Status;
                if (result is not null) results[run.RunId] = result.Value;
                curves[run.RunId] = points;
            }
        }).ConfigureAwait(false);

        var cells = new List<ReportCell>();
        var curveList = new List<LearningCurve>();
        foreach (var method in sweep.Spec.Methods)
        {
            foreach (var alpha in sweep.Spec.Alpha)
            {
                var runs = sweep.Runs.Where(r => r.Method == method && (method == RobustMethods.Baseline || r.Alpha == alpha)).ToList();
                var done = runs.Where(r => results.ContainsKey(r.RunId)).Select(r => results[r.RunId].Result).ToList();
                if (done.Count > 0)
                {
                    cells.Add(new ReportCell(method, alpha, done.Count,
                        SeedStatistics.Of(done.Select(d => d.Best.Scores.Average()).ToList()),
                        SeedStatistics.Of(done.Select(d => Cvar.Of(d.Best.Scores, alpha)).ToList()),
                        SeedStatistics.Of(done.Select(d => d.Final.Scores.Average()).ToList()),
                        SeedStatistics.Of(done.Select(d => Cvar.Of(d.Final.Scores, alpha)).ToList()),
                        SeedStatistics.Of(done.Select(d => d.Best.PreScores.Average()).ToList())));
                }
                var series = runs.Select(r => curves.GetValueOrDefault(r.RunId) ?? []).Where(s => s.Count > 0).ToList();
                if (series.Count > 0 && (method != RobustMethods.Baseline || alpha == sweep.Spec.Alpha.Min()))
                {
                    int length = series.Min(s => s.Count);
                    var validated = Enumerable.Range(0, length).Where(i => series.All(s => s[i].Validation is not null)).ToList();
                    curveList.Add(new LearningCurve(method, method == RobustMethods.Baseline ? double.NaN : alpha,
                        series[0].Take(length).Select(p => p.Iteration).ToArray(),
                        Enumerable.Range(0, length).Select(i => series.Average(s => s[i].Mean)).ToArray(),
                        Enumerable.Range(0, length).Select(i => series.Average(s => s[i].Cvar)).ToArray(),
                        validated.Select(i => series[0][i].Iteration).ToArray(),
                        validated.Select(i => series.Average(s => s[i].Validation!.Mean)).ToArray(),
                        validated.Select(i => series.Average(s => s[i].Validation!.Cvar)).ToArray()));
                }
            }
        }
        var phi = results.Where(r => r.Value.CemPhi is not null).ToDictionary(r => r.Key, r => r.Value.CemPhi!.Select(p => p[0]).ToArray());
        return new SweepReportData(sweepId, sweep.Spec.Family, sweep.Spec.Learner, sweep.Runs.Count, results.Count,
            statuses.Values.Count(s => s == RunStatus.Running), statuses.Values.Count(s => s == RunStatus.Failed), cells, curveList, phi);
    }
}
