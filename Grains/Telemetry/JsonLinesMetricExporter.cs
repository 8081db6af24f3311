using System.Text.Json;
using OpenTelemetry;
using OpenTelemetry.Metrics;

namespace MetaRl.Grains.Telemetry;

/// <summary>Metric points as JSON lines in a local file (counters as sums, histograms as count/sum/min/max).</summary>
public sealed class JsonLinesMetricExporter(JsonLinesFile file) : BaseExporter<Metric>
{
    public override ExportResult Export(in Batch<Metric> batch)
    {
        var lines = new List<string>();
        foreach (var metric in batch)
        {
            foreach (ref readonly var point in metric.GetMetricPoints())
            {
                var tags = new Dictionary<string, string?>();
                foreach (var tag in point.Tags) tags[tag.Key] = tag.Value?.ToString();
                object value = metric.MetricType switch
                {
                    MetricType.LongSum or MetricType.LongSumNonMonotonic => point.GetSumLong(),
                    MetricType.DoubleSum or MetricType.DoubleSumNonMonotonic => point.GetSumDouble(),
                    MetricType.LongGauge => point.GetGaugeLastValueLong(),
                    MetricType.DoubleGauge => point.GetGaugeLastValueDouble(),
                    MetricType.Histogram => HistogramOf(point),
                    _ => "unsupported",
                };
                lines.Add(JsonSerializer.Serialize(new { type = "metric", name = metric.Name, unit = metric.Unit, time = point.EndTime, tags, value }));
            }
        }
        return file.Append(lines) ? ExportResult.Success : ExportResult.Failure;
    }

    private static object HistogramOf(in MetricPoint point)
    {
        point.TryGetHistogramMinMaxValues(out double min, out double max);
        return new { count = point.GetHistogramCount(), sum = point.GetHistogramSum(), min, max };
    }
}
