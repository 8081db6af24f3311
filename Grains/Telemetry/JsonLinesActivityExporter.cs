using System.Diagnostics;
using System.Text.Json;
using OpenTelemetry;

namespace MetaRl.Grains.Telemetry;

/// <summary>Spans as JSON lines in a local file: the exporter when no OTLP endpoint is configured.</summary>
public sealed class JsonLinesActivityExporter(JsonLinesFile file) : BaseExporter<Activity>
{
    public override ExportResult Export(in Batch<Activity> batch)
    {
        var lines = new List<string>();
        foreach (var a in batch)
        {
            lines.Add(JsonSerializer.Serialize(new
            {
                type = "span",
                name = a.DisplayName,
                source = a.Source.Name,
                traceId = a.TraceId.ToHexString(),
                spanId = a.SpanId.ToHexString(),
                parentSpanId = a.ParentSpanId == default ? null : a.ParentSpanId.ToHexString(),
                start = a.StartTimeUtc,
                durationMs = a.Duration.TotalMilliseconds,
                status = a.Status.ToString(),
                tags = a.TagObjects.ToDictionary(t => t.Key, t => t.Value?.ToString()),
            }));
        }
        return file.Append(lines) ? ExportResult.Success : ExportResult.Failure;
    }
}
