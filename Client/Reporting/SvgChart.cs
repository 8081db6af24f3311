using System.Globalization;
using System.Net;
using System.Text;

namespace MetaRl.Client.Reporting;

/// <summary>A line chart as standalone SVG: series of points with optional error bars, linear or log x axis.</summary>
public sealed class SvgChart
{
    public sealed record Point(double X, double Y, double? Low = null, double? High = null);
    public sealed record Series(string Name, IReadOnlyList<Point> Points);

    private static readonly string[] Colors = ["#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2", "#17becf"];

    public string Title { get; init; } = "";
    public string XLabel { get; init; } = "";
    public string YLabel { get; init; } = "";
    public bool LogX { get; init; }
    public int Width { get; init; } = 640;
    public int Height { get; init; } = 400;
    public List<Series> Data { get; } = [];

    public string Render()
    {
        const int left = 70, right = 150, top = 40, bottom = 50;
        var points = Data.SelectMany(s => s.Points).Where(p => double.IsFinite(p.X) && double.IsFinite(p.Y)).ToList();
        var sb = new StringBuilder();
        sb.Append(CultureInfo.InvariantCulture, $"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{Width}\" height=\"{Height}\" font-family=\"sans-serif\" font-size=\"12\">");
        sb.Append(CultureInfo.InvariantCulture, $"<rect width=\"{Width}\" height=\"{Height}\" fill=\"white\"/><text x=\"{Width / 2}\" y=\"22\" text-anchor=\"middle\" font-size=\"15\">{E(Title)}</text>");
        if (points.Count == 0)
        {
            sb.Append(CultureInfo.InvariantCulture, $"<text x=\"{Width / 2}\" y=\"{Height / 2}\" text-anchor=\"middle\">no data yet</text></svg>");
            return sb.ToString();
        }
        double Tx(double x) => LogX ? Math.Log10(x) : x;
        double xMin = points.Min(p => Tx(p.X)), xMax = points.Max(p => Tx(p.X));
        double yMin = points.Min(p => p.Low ?? p.Y), yMax = points.Max(p => p.High ?? p.Y);
        if (xMax == xMin) { xMin -= 0.5; xMax += 0.5; }
        if (yMax == yMin) { yMin -= 1; yMax += 1; }
        double pad = 0.05 * (yMax - yMin);
        yMin -= pad;
        yMax += pad;
        double plotW = Width - left - right, plotH = Height - top - bottom;
        double Sx(double x) => left + (Tx(x) - xMin) / (xMax - xMin) * plotW;
        double Sy(double y) => top + (yMax - y) / (yMax - yMin) * plotH;

        sb.Append(CultureInfo.InvariantCulture, $"<rect x=\"{left}\" y=\"{top}\" width=\"{plotW}\" height=\"{plotH}\" fill=\"none\" stroke=\"#888\"/>");
        for (int k = 0; k <= 5; k++)
        {
            double y = yMin + k * (yMax - yMin) / 5;
            sb.Append(CultureInfo.InvariantCulture, $"<line x1=\"{left}\" x2=\"{left + plotW}\" y1=\"{Sy(y):F1}\" y2=\"{Sy(y):F1}\" stroke=\"#eee\"/><text x=\"{left - 6}\" y=\"{Sy(y) + 4:F1}\" text-anchor=\"end\">{y.ToString("G3", CultureInfo.InvariantCulture)}</text>");
        }
        var xTicks = points.Select(p => p.X).Distinct().OrderBy(x => x).ToList();
        if (xTicks.Count > 8) xTicks = Enumerable.Range(0, 6).Select(k => LogX ? Math.Pow(10, xMin + k * (xMax - xMin) / 5) : xMin + k * (xMax - xMin) / 5).ToList();
        foreach (var x in xTicks)
            sb.Append(CultureInfo.InvariantCulture, $"<text x=\"{Sx(x):F1}\" y=\"{top + plotH + 18}\" text-anchor=\"middle\">{x.ToString("G3", CultureInfo.InvariantCulture)}</text>");
        sb.Append(CultureInfo.InvariantCulture, $"<text x=\"{left + plotW / 2}\" y=\"{Height - 10}\" text-anchor=\"middle\">{E(XLabel)}</text>");
        sb.Append(CultureInfo.InvariantCulture, $"<text transform=\"translate(16,{top + plotH / 2}) rotate(-90)\" text-anchor=\"middle\">{E(YLabel)}</text>");

        for (int s = 0; s < Data.Count; s++)
        {
            var color = Colors[s % Colors.Length];
            var pts = Data[s].Points.Where(p => double.IsFinite(p.X) && double.IsFinite(p.Y)).OrderBy(p => p.X).ToList();
            if (pts.Count == 0) continue;
            sb.Append(CultureInfo.InvariantCulture, $"<polyline fill=\"none\" stroke=\"{color}\" stroke-width=\"2\" points=\"{string.Join(' ', pts.Select(p => $"{Sx(p.X).ToString("F1", CultureInfo.InvariantCulture)},{Sy(p.Y).ToString("F1", CultureInfo.InvariantCulture)}"))}\"/>");
            foreach (var p in pts)
            {
                if (p.Low is { } lo && p.High is { } hi)
                    sb.Append(CultureInfo.InvariantCulture, $"<line x1=\"{Sx(p.X):F1}\" x2=\"{Sx(p.X):F1}\" y1=\"{Sy(lo):F1}\" y2=\"{Sy(hi):F1}\" stroke=\"{color}\"/>");
                if (pts.Count <= 30) sb.Append(CultureInfo.InvariantCulture, $"<circle cx=\"{Sx(p.X):F1}\" cy=\"{Sy(p.Y):F1}\" r=\"3\" fill=\"{color}\"/>");
            }
            double ly = top + 10 + 18 * s;
            sb.Append(CultureInfo.InvariantCulture, $"<line x1=\"{left + plotW + 10}\" x2=\"{left + plotW + 30}\" y1=\"{ly}\" y2=\"{ly}\" stroke=\"{color}\" stroke-width=\"2\"/><text x=\"{left + plotW + 35}\" y=\"{ly + 4}\">{E(Data[s].Name)}</text>");
        }
        sb.Append("</svg>");
        return sb.ToString();
    }

    private static string E(string s) => WebUtility.HtmlEncode(s);
}
