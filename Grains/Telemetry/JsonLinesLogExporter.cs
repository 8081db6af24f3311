using System.Text.Json;
using OpenTelemetry;
using OpenTelemetry.Logs;

namespace MetaRl.Grains.Telemetry;

/// <summary>The host's log records as JSON lines in the local telemetry file, beside the spans and metrics.</summary>
public sealed class JsonLinesLogExporter(JsonLinesFile file) : BaseExporter<LogRecord>
{
    public override ExportResult Export(in Batch<LogRecord> batch)
    {
        var lines = new List<string>();
        foreach (var r in batch)
        {
            lines.Add(JsonSerializer.Serialize(new
            {
                type = "log",
                time = r.Timestamp,
                level = r.LogLevel.ToString(),
                category = r.CategoryName,
                message = r.FormattedMessage ?? r.Body,
                exception = r.Exception?.ToString(),
                traceId = r.TraceId == default ? null : r.TraceId.ToHexString(),
            }));
        }
        return file.Append(lines) ? ExportResult.Success : ExportResult.Failure;
    }
}
