using System.Globalization;
using System.Net;
using System.Text;
using MetaRl.Grains.Interfaces.Reports;

namespace MetaRl.Client.Reporting;

/// <summary>A sweep report as a text table, as SVG plots (CVaR vs α, learning curves) and as one HTML page.</summary>
public static class SweepReportRenderer
{
    private static string F(Interval m) => string.Create(CultureInfo.InvariantCulture, $"{m.Mean:F3} ± {m.HalfWidth:F3}");

    public static string Table(SweepReportData r)
    {
        var sb = new StringBuilder();
        sb.AppendLine($"sweep {r.SweepId}: {r.Family} / {r.Learner} — {r.Completed}/{r.Runs} runs complete, {r.Running} running, {r.Failed} failed, {r.Cancelled} cancelled");
        sb.AppendLine($"{"method",-9} {"α",6} {"seeds",5}  {"mean",-17} {"CVaR_α",-17} {"mean (final)",-17} {"CVaR_α (final)",-17} {"mean before adapt.",-17}");
        foreach (var c in r.Cells)
            sb.AppendLine(string.Create(CultureInfo.InvariantCulture, $"{c.Method,-9} {c.Alpha,6:G3} {c.Seeds,5}  {F(c.Mean),-17} {F(c.Cvar),-17} {F(c.FinalMean),-17} {F(c.FinalCvar),-17} {F(c.PreMean),-17}"));
        sb.AppendLine("(test scores of the selected checkpoint — by validation CVaR for robust methods, by mean for the baseline — and of the final model;");
        sb.AppendLine(" ± is the 95% confidence interval over seeds; scores are returns, or −loss for regression)");
        return sb.ToString();
    }

    public static string CvarVsAlpha(SweepReportData r)
    {
        var chart = new SvgChart { Title = $"{r.Family}: CVaR_α of the test scores", XLabel = "α", YLabel = "CVaR_α", LogX = true };
        foreach (var method in r.Cells.Select(c => c.Method).Distinct())
            chart.Data.Add(new SvgChart.Series(method, r.Cells.Where(c => c.Method == method)
                .Select(c => new SvgChart.Point(c.Alpha, c.Cvar.Mean, c.Cvar.Low, c.Cvar.High)).ToList()));
        return chart.Render();
    }

    private static string Name(LearningCurve c) => double.IsNaN(c.Alpha) ? c.Method : $"{c.Method} α={c.Alpha.ToString("G3", CultureInfo.InvariantCulture)}";

    /// <summary>Validation mean and CVaR over training (fixed validation tasks), or the training batches' mean where no validation ran.</summary>
    public static string LearningCurves(SweepReportData r)
    {
        bool validated = r.Curves.Any(c => c.ValidationIterations.Length > 1);
        var chart = new SvgChart
        {
            Title = validated ? $"{r.Family}: validation mean (solid) over training" : $"{r.Family}: mean post-adaptation score per iteration",
            XLabel = "meta-iteration",
            YLabel = validated ? "mean score (validation tasks)" : "mean score (training batch)",
        };
        foreach (var curve in r.Curves)
        {
            if (validated)
            {
                chart.Data.Add(new SvgChart.Series(Name(curve), curve.ValidationIterations.Select((it, i) => new SvgChart.Point(it, curve.ValidationMean[i])).ToList()));
                continue;
            }
            int stride = Math.Max(1, curve.Iterations.Length / 200);
            var pts = Enumerable.Range(0, curve.Iterations.Length).Where(i => i % stride == 0 || i == curve.Iterations.Length - 1)
                .Select(i => new SvgChart.Point(curve.Iterations[i], Smooth(curve.MeanScore, i, stride))).ToList();
            chart.Data.Add(new SvgChart.Series(Name(curve), pts));
        }
        return chart.Render();
    }

    /// <summary>Validation CVaR_α over training, per method (each robust method at its own α; the baseline at the sweep's smallest).</summary>
    public static string ValidationCvarCurves(SweepReportData r)
    {
        var chart = new SvgChart { Title = $"{r.Family}: validation CVaR_α over training", XLabel = "meta-iteration", YLabel = "CVaR_α (validation tasks)" };
        foreach (var curve in r.Curves.Where(c => c.ValidationIterations.Length > 0))
            chart.Data.Add(new SvgChart.Series(Name(curve), curve.ValidationIterations.Select((it, i) => new SvgChart.Point(it, curve.ValidationCvar[i])).ToList()));
        return chart.Render();
    }

    private static double Smooth(double[] values, int i, int window)
    {
        int from = Math.Max(0, i - window * 5), to = Math.Min(values.Length, i + 1);
        return values.Skip(from).Take(to - from).Average();
    }

    public static string Html(SweepReportData r)
    {
        var sb = new StringBuilder();
        sb.Append($"<!doctype html><html><head><meta charset=\"utf-8\"><title>sweep {WebUtility.HtmlEncode(r.SweepId)}</title>");
        sb.Append("<style>body{font-family:sans-serif;margin:24px}table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:4px 8px;text-align:right}th{background:#f4f4f4}</style></head><body>");
        sb.Append($"<h1>Sweep {WebUtility.HtmlEncode(r.SweepId)}</h1><p>{WebUtility.HtmlEncode(r.Family)} / {WebUtility.HtmlEncode(r.Learner)}: {r.Completed} of {r.Runs} runs complete, {r.Running} running, {r.Failed} failed.</p>");
        sb.Append("<table><tr><th>method</th><th>α</th><th>seeds</th><th>mean</th><th>CVaR_α</th><th>mean (final)</th><th>CVaR_α (final)</th><th>mean before adaptation</th></tr>");
        foreach (var c in r.Cells)
            sb.Append(string.Create(CultureInfo.InvariantCulture, $"<tr><td>{c.Method}</td><td>{c.Alpha:G3}</td><td>{c.Seeds}</td><td>{F(c.Mean)}</td><td>{F(c.Cvar)}</td><td>{F(c.FinalMean)}</td><td>{F(c.FinalCvar)}</td><td>{F(c.PreMean)}</td></tr>"));
        sb.Append("</table><p>Selected checkpoint: by validation CVaR_α for robust methods, by validation mean for the baseline. ± is the 95% confidence interval over seeds.</p>");
        sb.Append(CvarVsAlpha(r)).Append("<br/>").Append(LearningCurves(r)).Append("<br/>").Append(ValidationCvarCurves(r));
        if (r.CemPhiByRun.Count > 0)
        {
            sb.Append("<h2>RoML's task distribution at the end (φ per latent; the original φ0 is 0.5 for Beta-by-mean latents, the family's mean for exponential ones)</h2><table><tr><th>run</th><th>φ</th></tr>");
            foreach (var (run, phi) in r.CemPhiByRun.OrderBy(p => p.Key))
                sb.Append($"<tr><td>{WebUtility.HtmlEncode(run)}</td><td>{string.Join(", ", phi.Select(x => x.ToString("F3", CultureInfo.InvariantCulture)))}</td></tr>");
            sb.Append("</table>");
        }
        sb.Append("</body></html>");
        return sb.ToString();
    }
}
