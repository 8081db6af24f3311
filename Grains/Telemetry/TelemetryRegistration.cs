using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry;
using OpenTelemetry.Logs;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace MetaRl.Grains.Telemetry;

/// <summary>
/// Orleans' own activities and meters together with MetaRl.*, and the host's log records (as the
/// host's logging filters let them through), through OpenTelemetry's hosting extensions: OTLP when
/// OTEL_EXPORTER_OTLP_ENDPOINT is set (the SDK reads endpoint, headers and protocol from the standard
/// variables), JSON lines in a local file otherwise.
/// </summary>
public static class TelemetryRegistration
{
    /// <summary>Orleans' activity sources (grain calls, runtime, storage, lifecycle) and its meter.</summary>
    public static readonly string[] OrleansSources = ["Microsoft.Orleans.Application", "Microsoft.Orleans.Runtime", "Microsoft.Orleans.Storage", "Microsoft.Orleans.Lifecycle"];
    public const string OrleansMeter = "Microsoft.Orleans";

    /// <summary>Registers telemetry; returns where it goes ("otlp …" or the JSON-lines file).</summary>
    public static string AddMetaRlTelemetry(this IServiceCollection services, string serviceName, string instanceId, string jsonLinesPath, TimeSpan metricInterval)
    {
        var endpoint = Environment.GetEnvironmentVariable("OTEL_EXPORTER_OTLP_ENDPOINT");
        bool otlp = !string.IsNullOrWhiteSpace(endpoint);
        var file = otlp ? null : new JsonLinesFile(jsonLinesPath);
        services.AddOpenTelemetry()
            .ConfigureResource(r => r.AddService(serviceName, serviceInstanceId: instanceId))
            .WithTracing(t =>
            {
                t.AddSource(MetaRlTelemetry.Prefix + "*").AddSource(OrleansSources);
                if (otlp) t.AddOtlpExporter();
                else t.AddProcessor(new BatchActivityExportProcessor(new JsonLinesActivityExporter(file!), scheduledDelayMilliseconds: 2000));
            })
            .WithMetrics(m =>
            {
                m.AddMeter(MetaRlTelemetry.Prefix + "*", OrleansMeter);
                if (otlp) m.AddOtlpExporter((_, reader) => reader.PeriodicExportingMetricReaderOptions.ExportIntervalMilliseconds = (int)metricInterval.TotalMilliseconds);
                else m.AddReader(new PeriodicExportingMetricReader(new JsonLinesMetricExporter(file!), (int)metricInterval.TotalMilliseconds));
            })
            .WithLogging(l =>
            {
                if (otlp) l.AddOtlpExporter();
                else l.AddProcessor(new BatchLogRecordExportProcessor(new JsonLinesLogExporter(file!), scheduledDelayMilliseconds: 2000));
            }, o => o.IncludeFormattedMessage = true);
        return otlp ? $"otlp {endpoint}" : file!.Path;
    }
}
