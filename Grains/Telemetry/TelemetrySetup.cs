using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace MetaRl.Grains.Telemetry;

/// <summary>
/// Wires the MetaRl.* sources to an exporter: OTLP when OTEL_EXPORTER_OTLP_ENDPOINT is set (the
/// SDK reads the endpoint, headers and protocol from the standard variables), JSON lines in a local
/// file otherwise.
/// </summary>
public sealed class TelemetrySetup : IDisposable
{
    private readonly TracerProvider _tracing;
    private readonly MeterProvider _metrics;

    private TelemetrySetup(TracerProvider tracing, MeterProvider metrics, string destination)
    {
        _tracing = tracing;
        _metrics = metrics;
        Destination = destination;
    }

    /// <summary>"otlp …" or the JSON-lines file path.</summary>
    public string Destination { get; }

    public static TelemetrySetup Start(string serviceName, string serviceInstance, string jsonLinesPath, TimeSpan metricInterval)
    {
        var resource = ResourceBuilder.CreateDefault().AddService(serviceName, serviceInstanceId: serviceInstance);
        var tracing = Sdk.CreateTracerProviderBuilder().SetResourceBuilder(resource).AddSource(MetaRlTelemetry.Prefix + "*");
        var metrics = Sdk.CreateMeterProviderBuilder().SetResourceBuilder(resource).AddMeter(MetaRlTelemetry.Prefix + "*");
        var endpoint = Environment.GetEnvironmentVariable("OTEL_EXPORTER_OTLP_ENDPOINT");
        string destination;
        if (!string.IsNullOrWhiteSpace(endpoint))
        {
            tracing.AddOtlpExporter();
            metrics.AddOtlpExporter((_, reader) => reader.PeriodicExportingMetricReaderOptions.ExportIntervalMilliseconds = (int)metricInterval.TotalMilliseconds);
            destination = $"otlp {endpoint}";
        }
        else
        {
            var file = new JsonLinesFile(jsonLinesPath);
            tracing.AddProcessor(new BatchActivityExportProcessor(new JsonLinesActivityExporter(file), scheduledDelayMilliseconds: 2000));
            metrics.AddReader(new PeriodicExportingMetricReader(new JsonLinesMetricExporter(file), (int)metricInterval.TotalMilliseconds));
            destination = file.Path;
        }
        return new TelemetrySetup(tracing.Build(), metrics.Build(), destination);
    }

    public void Dispose()
    {
        _tracing.ForceFlush(5000);
        _metrics.ForceFlush(5000);
        _tracing.Dispose();
        _metrics.Dispose();
    }
}
