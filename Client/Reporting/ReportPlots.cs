using System.Globalization;
using MetaRl.Grains.Interfaces.Reports;
using MetaRl.Learning.Environments;
using MetaRl.Learning.Robust.Cem;
using MetaRl.Learning.Training;
using ScottPlot;

namespace MetaRl.Client.Reporting;

/// <summary>One plot of a sweep report: a file stem (PNG and SVG files), a caption, and the ScottPlot figure.</summary>
public sealed record ReportFigure(string Name, string Caption, Plot Plot);

/// <summary>
/// The sweep report's plots, drawn with ScottPlot: CVaR_α and mean vs α per method with 95%
/// interval bars, learning curves (validation mean and CVaR_α over seeds) with 95% confidence bands,
/// and the CEM's φ per latent dimension over training, one line per robust run. Every method has one
/// colour in every plot; α is told apart by the marker shape.
/// </summary>
public static class ReportPlots
{
    public const int Width = 900, Height = 520;

    private static readonly Dictionary<string, string> Known = new()
    {
        [RobustMethods.Baseline] = "#1f77b4",
        [RobustMethods.CvarMl] = "#d62728",
        [RobustMethods.Roml] = "#2ca02c",
    };
    private static readonly string[] Others = ["#9467bd", "#ff7f0e", "#8c564b", "#e377c2", "#17becf"];
    // α is told apart by marker shape, not by line pattern: SkiaSharp's SVG canvas has no dash effect.
    private static readonly MarkerShape[] Shapes = [MarkerShape.FilledCircle, MarkerShape.FilledSquare, MarkerShape.FilledTriangleUp, MarkerShape.FilledDiamond, MarkerShape.OpenCircle, MarkerShape.OpenSquare];

    /// <summary>A method's colour: fixed for the known methods, otherwise by its place among the sweep's other methods.</summary>
    public static Color ColorOf(SweepReportData r, string method)
    {
        if (Known.TryGetValue(method, out var hex)) return Color.FromHex(hex);
        var others = r.Cells.Select(c => c.Method).Concat(r.Curves.Select(c => c.Method)).Where(m => !Known.ContainsKey(m)).Distinct().ToList();
        return Color.FromHex(Others[Math.Max(0, others.IndexOf(method)) % Others.Length]);
    }

    private static string A(double alpha) => alpha.ToString("G3", CultureInfo.InvariantCulture);

    private static string Name(LearningCurve c) => double.IsNaN(c.Alpha) ? c.Method : $"{c.Method} α={A(c.Alpha)}";

    /// <summary>Every plot the sweep's data allows, in the order the report shows them.</summary>
    public static List<ReportFigure> All(SweepReportData r)
    {
        var figures = new List<ReportFigure>();
        if (r.Cells.Count > 0)
        {
            figures.Add(new("cvar-vs-alpha", $"CVaR_α of the test scores against α, per method: mean over seeds with 95% confidence intervals (selected checkpoints). {r.Family}.",
                VersusAlpha(r, c => c.Cvar, $"{r.Family}: CVaR_α of test {Unit(r)} vs α", $"CVaR_α of test {Unit(r)}")));
            figures.Add(new("mean-vs-alpha", $"Mean test score against α, per method, with 95% confidence intervals over seeds. {r.Family}.",
                VersusAlpha(r, c => c.Mean, $"{r.Family}: mean test {Unit(r)} vs α", $"mean test {Unit(r)}")));
        }
        bool validated = r.Curves.Any(c => c.ValidationIterations.Length > 1);
        if (r.Curves.Count > 0)
        {
            figures.Add(new("learning-curves-mean", validated
                    ? "Mean score on the fixed validation tasks over training, mean over seeds with a 95% confidence band."
                    : "Mean post-adaptation score of each iteration's training batch (no validation ran), mean over seeds with a 95% confidence band.",
                Curves(r, validated, cvar: false)));
            figures.Add(new("learning-curves-cvar", validated
                    ? "CVaR_α on the fixed validation tasks over training (each robust method at its α, the baseline at the sweep's smallest α), with 95% confidence bands."
                    : "CVaR_α of each iteration's training batch, with 95% confidence bands (training batches of robust methods are harder by design).",
                Curves(r, validated, cvar: true)));
        }
        int dims = r.CemTrajectories.Count == 0 ? 0 : r.CemTrajectories.Max(t => t.Phi.Length);
        var latents = Latents(r.Family);
        for (int d = 0; d < dims; d++)
        {
            var latent = d < latents.Count ? latents[d] : null;
            figures.Add(new($"cem-phi-{d}", $"The CEM's task distribution over training: φ of latent dimension {d}{(latent is null ? "" : $" ({latent.Value.Name}; {latent.Value.Meaning}, {A(latent.Value.Phi0)} under the original task distribution, the grey line)")} at each iteration, one line per robust run (seed); a lighter shade is a larger α.",
                Phi(r, d, latent)));
        }
        return figures;
    }

    private static string Unit(SweepReportData r) => r.Family.Contains("Sine", StringComparison.OrdinalIgnoreCase) ? "score (−MSE)" : "return";

    private static Plot NewPlot(string title, string x, string y)
    {
        var plot = new Plot();
        plot.Font.Set("DejaVu Sans");
        plot.Title(title, 15);
        plot.XLabel(x, 13);
        plot.YLabel(y, 13);
        plot.Axes.Bottom.TickLabelStyle.FontSize = 12;
        plot.Axes.Left.TickLabelStyle.FontSize = 12;
        return plot;
    }

    private static Plot VersusAlpha(SweepReportData r, Func<ReportCell, Interval> pick, string title, string y)
    {
        var plot = NewPlot(title, "α (log scale)", y);
        var alphas = r.Cells.Select(c => c.Alpha).Distinct().Order().ToArray();
        var methods = r.Cells.Select(c => c.Method).Distinct().ToList();
        // Methods side by side at each α (a small offset in log10 α) so that interval bars do not hide each other.
        double span = alphas.Length > 1 ? Math.Log10(alphas[^1]) - Math.Log10(alphas[0]) : 1;
        for (int m = 0; m < methods.Count; m++)
        {
            var cells = r.Cells.Where(c => c.Method == methods[m]).OrderBy(c => c.Alpha).ToList();
            double offset = (m - (methods.Count - 1) / 2.0) * span * 0.012;
            var xs = cells.Select(c => Math.Log10(c.Alpha) + offset).ToArray();
            var values = cells.Select(pick).ToList();
            var ys = values.Select(v => v.Mean).ToArray();
            var color = ColorOf(r, methods[m]);
            var bars = plot.Add.ErrorBar(xs, ys, values.Select(v => v.HalfWidth).ToArray());
            bars.Color = color;
            bars.LineWidth = 1.5f;
            var line = plot.Add.Scatter(xs, ys, color);
            line.LegendText = $"{methods[m]} ({cells.Max(c => c.Seeds)} seeds)";
            line.LineWidth = 2;
            line.MarkerSize = 7;
        }
        plot.Axes.Bottom.SetTicks(alphas.Select(Math.Log10).ToArray(), alphas.Select(A).ToArray());
        if (alphas.Length == 1) plot.Axes.SetLimitsX(Math.Log10(alphas[0]) - 0.5, Math.Log10(alphas[0]) + 0.5);
        plot.ShowLegend(Alignment.LowerRight);
        return plot;
    }

    private static Plot Curves(SweepReportData r, bool validated, bool cvar)
    {
        string what = cvar ? "CVaR_α" : "mean score";
        string where = validated ? "validation tasks" : "training batch";
        var plot = NewPlot($"{r.Family}: {what} on the {where} over training", "meta-iteration", $"{what} ({where})");
        var alphas = r.Curves.Where(c => !double.IsNaN(c.Alpha)).Select(c => c.Alpha).Distinct().Order().ToList();
        foreach (var curve in r.Curves)
        {
            var (xs, ys, half) = validated
                ? (curve.ValidationIterations.Select(i => (double)i).ToArray(), cvar ? curve.ValidationCvar : curve.ValidationMean, cvar ? curve.ValidationCvarHalfWidth : curve.ValidationMeanHalfWidth)
                : (curve.Iterations.Select(i => (double)i).ToArray(), cvar ? curve.CvarScore : curve.MeanScore, cvar ? curve.CvarScoreHalfWidth : curve.MeanScoreHalfWidth);
            if (xs.Length == 0) continue;
            if (!validated) (xs, ys, half) = Thin(xs, ys, half, 300);
            var color = ColorOf(r, curve.Method);
            if (curve.Seeds > 1)
            {
                var band = plot.Add.FillY(xs, ys.Select((y, i) => y - half[i]).ToArray(), ys.Select((y, i) => y + half[i]).ToArray());
                band.FillColor = color.WithAlpha(0.18);
                band.LineWidth = 0;
            }
            var line = plot.Add.Scatter(xs, ys, color);
            line.LegendText = $"{Name(curve)} ({curve.Seeds} seeds)";
            line.LineWidth = 2;
            line.MarkerSize = validated ? 6 : 0;
            line.MarkerShape = double.IsNaN(curve.Alpha) ? Shapes[0] : Shapes[(alphas.IndexOf(curve.Alpha) + 1) % Shapes.Length];
            if (!validated) Markers(plot, xs, ys, color, line.MarkerShape);
        }
        plot.ShowLegend(Alignment.LowerRight);
        return plot;
    }

    /// <summary>Markers (no line) on at most 25 of a dense line's points, evenly spaced, so that its shape is visible.</summary>
    private static ScottPlot.Plottables.Scatter Markers(Plot plot, double[] xs, double[] ys, Color color, MarkerShape shape)
    {
        int stride = Math.Max(1, xs.Length / 25);
        var at = Enumerable.Range(0, xs.Length).Where(i => i % stride == 0).ToArray();
        var marks = plot.Add.Scatter(at.Select(i => xs[i]).ToArray(), at.Select(i => ys[i]).ToArray(), color);
        marks.LineWidth = 0;
        marks.MarkerSize = 6;
        marks.MarkerShape = shape;
        return marks;
    }

    /// <summary>At most <paramref name="points"/> points: each the mean of its stride (a training curve can have thousands of iterations).</summary>
    private static (double[], double[], double[]) Thin(double[] xs, double[] ys, double[] half, int points)
    {
        int stride = Math.Max(1, (xs.Length + points - 1) / points);
        if (stride == 1) return (xs, ys, half);
        var idx = Enumerable.Range(0, (xs.Length + stride - 1) / stride).ToList();
        double[] Mean(double[] v) => idx.Select(i => v.Skip(i * stride).Take(stride).Average()).ToArray();
        return (Mean(xs), Mean(ys), Mean(half));
    }

    /// <summary>The family's latent dimensions: name, what φ is for its kind, and φ under the original distribution; empty for a family this build does not know.</summary>
    private static List<(string Name, string Meaning, double Phi0)?> Latents(string family)
    {
        if (!TaskFamilies.Exists(family)) return [];
        var f = TaskFamilies.Create(family);
        var original = DynamicTargetCem.DistributionsFor(f);
        return f.Latents.Select((l, d) => ((string, string, double)?)(l.Name, l.Kind switch
        {
            LatentKind.UnitInterval => "φ is the mean of its Beta distribution",
            LatentKind.Exponential => "φ is the mean of its exponential distribution",
            _ => "φ is the probability of its first category",
        }, original[d].Original[0])).ToList();
    }

    private static Plot Phi(SweepReportData r, int dimension, (string Name, string Meaning, double Phi0)? latent)
    {
        string what = latent is null ? $"latent dimension {dimension}" : $"{latent.Value.Name} (latent {dimension})";
        var plot = NewPlot($"{r.Family}: the CEM's φ of {what} over training", "meta-iteration", $"φ of {what}");
        if (latent is not null)
        {
            var original = plot.Add.HorizontalLine(latent.Value.Phi0, 1.5f, Colors.Gray);
            original.LegendText = $"original distribution (φ = {A(latent.Value.Phi0)})";
        }
        var alphas = r.CemTrajectories.Select(t => t.Alpha).Distinct().Order().ToList();
        var labelled = new HashSet<(string, double)>();
        foreach (var t in r.CemTrajectories.Where(t => t.Phi.Length > dimension).OrderBy(t => t.Method, StringComparer.Ordinal).ThenBy(t => t.Alpha).ThenBy(t => t.Seed))
        {
            var xs = t.Iterations.Select(i => (double)i).ToArray();
            // The method's colour; a larger α a lighter shade of it (and another marker).
            var color = ColorOf(r, t.Method).Lighten(alphas.Count > 1 ? 0.5 * alphas.IndexOf(t.Alpha) / (alphas.Count - 1) : 0);
            var line = plot.Add.Scatter(xs, t.Phi[dimension], color);
            line.LineWidth = 1.5f;
            line.MarkerSize = 0;
            var marks = Markers(plot, xs, t.Phi[dimension], color, Shapes[alphas.IndexOf(t.Alpha) % Shapes.Length]);
            // One legend entry per method and α; its seeds share colour and marker.
            if (labelled.Add((t.Method, t.Alpha))) marks.LegendText = $"{t.Method} α={A(t.Alpha)} (one line per seed)";
        }
        plot.ShowLegend(Alignment.UpperRight);
        return plot;
    }
}
