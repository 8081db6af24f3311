using System.Globalization;
using System.Net;
using System.Text;
using MetaRl.Grains.Interfaces.Reports;

namespace MetaRl.Client.Reporting;

/// <summary>A sweep report as a text table, and as one HTML page with its plots (ReportPlots) beside it as PNG and SVG files.</summary>
public static class SweepReportRenderer
{
    private static string F(Interval m) => string.Create(CultureInfo.InvariantCulture, $"{m.Mean:F3} ± {m.HalfWidth:F3}");

    public static string Table(SweepReportData r)
    {
        var sb = new StringBuilder();
        sb.AppendLine($"sweep {Untrusted.Line(r.SweepId, 80)}: {Untrusted.Line(r.Family, 60)} / {Untrusted.Line(r.Learner, 60)} — {r.Completed}/{r.Runs} runs complete, {r.Running} running, {r.Failed} failed, {r.Cancelled} cancelled");
        sb.AppendLine($"{"method",-9} {"α",6} {"seeds",5}  {"mean",-17} {"CVaR_α",-17} {"mean (final)",-17} {"CVaR_α (final)",-17} {"mean before adapt.",-17}");
        foreach (var c in r.Cells)
            sb.AppendLine(string.Create(CultureInfo.InvariantCulture, $"{Untrusted.Line(c.Method, 40),-9} {c.Alpha,6:G3} {c.Seeds,5}  {F(c.Mean),-17} {F(c.Cvar),-17} {F(c.FinalMean),-17} {F(c.FinalCvar),-17} {F(c.PreMean),-17}"));
        sb.AppendLine("(test scores of the selected checkpoint — by validation CVaR for robust methods, by mean for the baseline — and of the final model;");
        sb.AppendLine(" ± is the 95% confidence interval over seeds; scores are returns, or −loss for regression)");
        return sb.ToString();
    }

    /// <summary>
    /// Writes the report into <paramref name="dir"/>: one self-contained HTML page (the table and
    /// every plot inlined as SVG; it opens offline) and each plot as PNG and SVG beside it. Returns the page's path.
    /// </summary>
    public static string Write(SweepReportData r, string dir)
    {
        Directory.CreateDirectory(dir);
        var figures = ReportPlots.All(r);
        var svgs = new List<string>();
        foreach (var f in figures)
        {
            var stem = Path.Combine(dir, $"{r.SweepId}-{f.Name}");
            f.Plot.SavePng(stem + ".png", ReportPlots.Width, ReportPlots.Height);
            var svg = f.Plot.GetSvgXml(ReportPlots.Width, ReportPlots.Height);
            File.WriteAllText(stem + ".svg", svg);
            svgs.Add(svg);
        }
        var html = Path.Combine(dir, $"{r.SweepId}.html");
        File.WriteAllText(html, Html(r, figures, svgs));
        return html;
    }

    private static string H(string s) => WebUtility.HtmlEncode(s);

    private static string Html(SweepReportData r, IReadOnlyList<ReportFigure> figures, IReadOnlyList<string> svgs)
    {
        var sb = new StringBuilder();
        sb.Append($"<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>sweep {H(r.SweepId)}</title>");
        sb.Append("<style>body{font-family:'DejaVu Sans',sans-serif;margin:24px;max-width:960px}table{border-collapse:collapse;margin:8px 0}");
        sb.Append("td,th{border:1px solid #ccc;padding:4px 8px;text-align:right;white-space:nowrap}th{background:#f4f4f4}td:first-child{text-align:left}");
        sb.Append("figure{margin:24px 0}figure svg{width:100%;height:auto;border:1px solid #eee}figcaption{color:#444;font-size:14px}</style></head><body>");
        sb.Append($"<h1>Sweep {H(r.SweepId)}</h1><p>{H(r.Family)} / {H(r.Learner)}: {r.Completed} of {r.Runs} runs complete, {r.Running} running, {r.Failed} failed, {r.Cancelled} cancelled.</p>");
        if (r.Problems.Count > 0)
            sb.Append("<div class=\"problems\"><h2>Left out: stored items that could not be read</h2><ul>").Append(string.Concat(r.Problems.Select(p => $"<li>{H(p)}</li>"))).Append("</ul></div>");
        sb.Append("<table id=\"cells\"><tr><th>method</th><th>α</th><th>seeds</th><th>mean</th><th>CVaR_α</th><th>mean (final)</th><th>CVaR_α (final)</th><th>mean before adaptation</th></tr>");
        foreach (var c in r.Cells)
            sb.Append(string.Create(CultureInfo.InvariantCulture, $"<tr><td>{H(c.Method)}</td><td>{c.Alpha:G3}</td><td>{c.Seeds}</td><td>{F(c.Mean)}</td><td>{F(c.Cvar)}</td><td>{F(c.FinalMean)}</td><td>{F(c.FinalCvar)}</td><td>{F(c.PreMean)}</td></tr>"));
        sb.Append("</table><p>Test scores of the selected checkpoint (by validation CVaR_α for robust methods, by validation mean for the baseline) and of the final model. ± is the 95% confidence interval over seeds.</p>");
        for (int i = 0; i < figures.Count; i++)
            sb.Append($"<figure class=\"plot\" id=\"{H(figures[i].Name)}\">{svgs[i][svgs[i].IndexOf("<svg", StringComparison.Ordinal)..]}<figcaption>{H(figures[i].Caption)} Files: {H(r.SweepId)}-{H(figures[i].Name)}.png / .svg.</figcaption></figure>");
        if (r.CemPhiByRun.Count > 0)
        {
            sb.Append("<h2>The CEM's task distribution at the end</h2><p>φ per latent dimension of each robust run's final sampler (the original φ0 is 0.5 for Beta-by-mean latents, the family's mean for exponential ones).</p><table><tr><th>run</th><th>φ</th></tr>");
            foreach (var (run, phi) in r.CemPhiByRun.OrderBy(p => p.Key, StringComparer.Ordinal))
                sb.Append($"<tr><td>{H(run)}</td><td>{string.Join(", ", phi.Select(x => x.ToString("F3", CultureInfo.InvariantCulture)))}</td></tr>");
            sb.Append("</table>");
        }
        sb.Append("</body></html>");
        return sb.ToString();
    }
}
