using MetaRl.Grains.Hosting;
using MetaRl.Grains.Telemetry;
using MetaRl.Silo;
using MetaRl.Storage;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

// metarl-silo: executes runs from the configured storage until stopped (SIGTERM/Ctrl-C: graceful).
// Options: configuration section "Silo" (appsettings.json, METARL_SILO__COREBUDGET=2, --Silo:CoreBudget=2),
// storage from METARL_STORAGE / METARL_DATA / METARL_AZURE_CONNECTION_STRING or the "Storage" section.
var builder = Host.CreateApplicationBuilder(args);
builder.Configuration.AddEnvironmentVariables("METARL_");
var options = builder.Configuration.GetSection("Silo").Get<SiloOptions>() ?? new SiloOptions();
var storage = SiloConfiguration.Storage(builder.Configuration);
var problems = options.Validate().Concat(storage.Validate()).ToList();
if (problems.Count > 0)
{
    foreach (var p in problems) Console.Error.WriteLine($"metarl-silo: {p}");
    return 2;
}

// Spans and metrics: OTLP when OTEL_EXPORTER_OTLP_ENDPOINT is set, else JSON lines beside the local
// data (or under .metarl/ for Azure), unless Silo:TelemetryPath says where.
var telemetryPath = builder.Configuration["Silo:TelemetryPath"]
    ?? Path.Combine(storage.Provider == StorageOptions.LocalProvider ? storage.LocalPath : ".metarl", "telemetry", $"{options.SiloId}.jsonl");
using var telemetry = TelemetrySetup.Start("metarl-silo", options.SiloId, telemetryPath, TimeSpan.FromSeconds(10));
builder.Services.Configure<HostOptions>(h => h.ShutdownTimeout = builder.Configuration.GetValue("Silo:ShutdownTimeout", TimeSpan.FromMinutes(2)));
builder.Services.AddSingleton(options);
builder.Services.AddSingleton<IBlobStore>(_ => BlobStoreFactory.Create(storage));
builder.Services.AddHostedService<SiloService>();
using var host = builder.Build();
Console.WriteLine($"metarl-silo {options.SiloId}: storage {storage.Provider}, telemetry {telemetry.Destination}");
await host.RunAsync();
return 0;
