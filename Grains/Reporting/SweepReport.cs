using System.Text.Json;
using MetaRl.Grains.Execution;
using MetaRl.Grains.Interfaces.Reports;
using MetaRl.Grains.Interfaces.State;
using MetaRl.Learning.Evaluation;
using MetaRl.Learning.Robust;
using MetaRl.Learning.Training;
using MetaRl.Storage;

namespace MetaRl.Grains.Reporting;

/// <summary>
/// Builds what `metarl sweep report` shows from a sweep's state, its runs' live views and metric
/// lines, and the per-task test scores in each finished run's result blob. The baseline (which does
/// not depend on α) is evaluated at every α of the sweep from its per-task scores.
/// </summary>
public static class SweepReport
{
    public static async Task<SweepReportData> BuildAsync(IBlobStore store, SweepState sweep, IReadOnlyList<RunView> runs, IReadOnlyDictionary<string, List<string>> metrics,
        List<string> problems, CancellationToken ct)
    {
        // A stored file that cannot be read is named in the report's problems; the report shows everything else.
        var results = new Dictionary<string, RunResultDocument>();
        foreach (var run in runs.Where(r => r.State.Status == RunStatus.Completed))
        {
            var path = RunBlobs.Result(run.State.Id);
            BlobContent? blob;
            try
            {
                blob = await store.ReadAsync(path, ct).ConfigureAwait(false);
            }
            catch (BlobUnreadableException e)
            {
                problems.Add($"run {run.State.Id}: its result {path} in {store.Location} cannot be read ({e.InnerException?.Message ?? e.Message}); left out of the table");
                continue;
            }
            if (blob is null)
            {
                problems.Add($"run {run.State.Id}: its result {path} in {store.Location} is missing; left out of the table");
                continue;
            }
            if (run.State.ResultSha256 is { } committed && Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(blob.Content)) != committed)
            {
                problems.Add($"run {run.State.Id}: its result {path} in {store.Location} is not what the run wrote ({blob.Content.Length} bytes, sha256 differs); left out of the table");
                continue;
            }
            try
            {
                var document = GrainJson.Deserialize<RunResultDocument>(blob.Content);
                if (document.Result?.Best?.Scores is not { Length: > 0 } || document.Result.Final?.Scores is not { Length: > 0 } || document.Result.Best.PreScores is null)
                    throw new InvalidDataException("it has no per-task scores");
                results[run.State.Id] = document;
            }
            catch (Exception e) when (e is JsonException or InvalidDataException or NotSupportedException)
            {
                problems.Add($"run {run.State.Id}: its result {RunBlobs.Result(run.State.Id)} in {store.Location} is unreadable ({e.Message.Split('\n')[0]}); left out of the table");
            }
        }
        var parsed = new Dictionary<string, List<IterationMetrics>>();
        foreach (var r in runs)
        {
            var lines = new List<IterationMetrics>();
            foreach (var (line, index) in (metrics.GetValueOrDefault(r.State.Id) ?? []).Select((l, i) => (l, i)))
            {
                try
                {
                    lines.Add(JsonSerializer.Deserialize<IterationMetrics>(line, GrainJson.Options) ?? throw new InvalidDataException("null"));
                }
                catch (Exception e) when (e is JsonException or InvalidDataException)
                {
                    problems.Add($"run {r.State.Id}: metric line {index + 1} is unreadable ({e.Message.Split('\n')[0]}); the curve stops before it");
                    break;
                }
            }
            parsed[r.State.Id] = lines;
        }

        var curves = parsed.ToDictionary(p => p.Key, p => p.Value.Select(m => (m.Iteration, Mean: m.MeanScore, Cvar: m.CvarScore, m.Validation)).ToList());
        var cells = new List<ReportCell>();
        var curveList = new List<LearningCurve>();
        foreach (var method in sweep.Spec.Methods)
        {
            foreach (var alpha in sweep.Spec.Alpha)
            {
                var cell = sweep.Runs.Where(r => r.Method == method && (method == RobustMethods.Baseline || r.Alpha == alpha)).ToList();
                var done = cell.Where(r => results.ContainsKey(r.RunId)).Select(r => results[r.RunId].Result).ToList();
                if (done.Count > 0)
                {
                    cells.Add(new ReportCell(method, alpha, done.Count,
                        Of(done.Select(d => d.Best.Scores.Average())),
                        Of(done.Select(d => Cvar.Of(d.Best.Scores, alpha))),
                        Of(done.Select(d => d.Final.Scores.Average())),
                        Of(done.Select(d => Cvar.Of(d.Final.Scores, alpha))),
                        Of(done.Select(d => d.Best.PreScores.Average()))));
                }
                var series = cell.Select(r => curves.GetValueOrDefault(r.RunId) ?? []).Where(s => s.Count > 0).ToList();
                if (series.Count > 0 && (method != RobustMethods.Baseline || alpha == sweep.Spec.Alpha.Min()))
                {
                    int length = series.Min(s => s.Count);
                    var all = Enumerable.Range(0, length).ToList();
                    var validated = all.Where(i => series.All(s => s[i].Validation is not null)).ToList();
                    (double[] Mean, double[] Half) Across(IReadOnlyList<int> at, Func<(int Iteration, double Mean, double Cvar, ValidationPoint? Validation), double> value)
                    {
                        var stats = at.Select(i => SeedStatistics.Of(series.Select(s => value(s[i])).ToList())).ToList();
                        return (stats.Select(m => m.Mean).ToArray(), stats.Select(m => m.HalfWidth).ToArray());
                    }
                    var mean = Across(all, p => p.Mean);
                    var cvar = Across(all, p => p.Cvar);
                    var vMean = Across(validated, p => p.Validation!.Mean);
                    var vCvar = Across(validated, p => p.Validation!.Cvar);
                    curveList.Add(new LearningCurve(method, method == RobustMethods.Baseline ? double.NaN : alpha, series.Count,
                        series[0].Take(length).Select(p => p.Iteration).ToArray(), mean.Mean, mean.Half, cvar.Mean, cvar.Half,
                        validated.Select(i => series[0][i].Iteration).ToArray(), vMean.Mean, vMean.Half, vCvar.Mean, vCvar.Half));
                }
            }
        }
        var phi = results.Where(r => r.Value.CemPhi is not null).ToDictionary(r => r.Key, r => r.Value.CemPhi!.Select(p => p[0]).ToArray());
        var trajectories = new List<CemTrajectory>();
        foreach (var run in runs)
        {
            var withPhi = parsed[run.State.Id].Where(m => m.CemPhi is { Length: > 0 }).ToList();
            if (withPhi.Count == 0) continue;
            int dims = withPhi.Min(m => m.CemPhi!.Length);
            trajectories.Add(new CemTrajectory(run.State.Id, run.State.Method, run.State.Alpha, run.State.Seed, withPhi.Select(m => m.Iteration).ToArray(),
                Enumerable.Range(0, dims).Select(d => withPhi.Select(m => m.CemPhi![d][0]).ToArray()).ToArray()));
        }
        int Count(RunStatus s) => runs.Count(r => r.State.Status == s);
        return new SweepReportData(sweep.Id, sweep.Spec.Family, sweep.Spec.Learner, sweep.Runs.Count, results.Count,
            Count(RunStatus.Running), Count(RunStatus.Failed), Count(RunStatus.Cancelled), cells, curveList, phi, trajectories, problems);
    }

    private static Interval Of(IEnumerable<double> values)
    {
        var m = SeedStatistics.Of(values.ToList());
        return new Interval(m.Mean, m.HalfWidth, m.Count);
    }
}
