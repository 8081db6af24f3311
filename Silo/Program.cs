using MetaRl.Grains.Hosting;
using MetaRl.Grains.Telemetry;
using MetaRl.Silo;
using MetaRl.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orleans.Dashboard;

// metarl-silo: an Orleans silo that trains MetaRl runs until stopped (SIGTERM/Ctrl-C: each run finishes
// its iteration and checkpoints). Settings: sections "Silo" (training: core budget, GPUs, checkpoints),
// "Cluster" (ids, ports, advertised address, membership), "Storage" (or METARL_STORAGE / METARL_DATA /
// METARL_AZURE_CONNECTION_STRING), from appsettings.json, METARL_* variables (METARL_SILO__COREBUDGET=2)
// and the command line (--Silo:CoreBudget=2). --dashboard-port N serves the Orleans Dashboard on 127.0.0.1:N.
var settings = SiloSettings.Read(args);
if (settings.Problems.Count > 0)
{
    foreach (var p in settings.Problems) Console.Error.WriteLine($"metarl-silo: {p}");
    return 2;
}

// On local storage this silo is the folder's one silo (localhost clustering): consoles on the folder connect to it.
LocalSilo? local = null;
if (settings.Storage.Provider == StorageOptions.LocalProvider)
{
    local = LocalSilo.TryClaim(settings.Storage.LocalPath, new LocalSiloInfo(Environment.ProcessId, settings.Hosting.GatewayPort, settings.Hosting.ClusterId, settings.Hosting.ServiceId, settings.Hosting.SiloName, DateTimeOffset.UtcNow));
    if (local is null)
    {
        var holder = LocalSilo.Find(settings.Storage.LocalPath);
        Console.Error.WriteLine($"metarl-silo: {settings.Storage.LocalPath} is served by another silo ({holder?.SiloName}, process {holder?.ProcessId}, gateway 127.0.0.1:{holder?.GatewayPort}); local storage takes one silo — for several, use Azure storage (Azurite in development)");
        return 2;
    }
}
using var localClaim = local;

IHostApplicationBuilder builder = settings.DashboardPort > 0 ? WebApplication.CreateBuilder(args) : Host.CreateApplicationBuilder(args);
builder.Configuration.AddEnvironmentVariables("METARL_");
// Orleans' own information lines are for its developers; membership changes are worth seeing in a silo's log.
builder.Logging.AddFilter("Orleans", LogLevel.Warning);
builder.Logging.AddFilter("Orleans.Runtime.MembershipService", LogLevel.Information);
builder.Logging.AddFilter("Polly", LogLevel.Warning);
var telemetry = builder.Services.AddMetaRlTelemetry("metarl-silo", settings.Hosting.SiloName, settings.TelemetryPath, TimeSpan.FromSeconds(10));
builder.Services.Configure<HostOptions>(h => h.ShutdownTimeout = builder.Configuration.GetValue("Silo:ShutdownTimeout", TimeSpan.FromMinutes(5)));
builder.UseOrleans(silo =>
{
    silo.UseMetaRlCluster(settings.Storage, settings.Hosting);
    silo.AddMetaRlGrains(builder.Configuration, _ => BlobStoreFactory.Create(settings.Storage));
    if (settings.DashboardPort > 0) silo.AddDashboard();
});

Console.WriteLine($"metarl-silo {settings.Hosting.SiloName}: storage {settings.Storage.Provider}, cluster '{settings.Hosting.ClusterId}', silo port {settings.Hosting.SiloPort}, gateway {settings.Hosting.AdvertisedIP}:{settings.Hosting.GatewayPort}, telemetry {telemetry}");
try
{
    if (builder is WebApplicationBuilder web)
    {
        var app = web.Build();
        app.Urls.Add($"http://127.0.0.1:{settings.DashboardPort}");
        app.MapOrleansDashboard();
        Console.WriteLine($"metarl-silo {settings.Hosting.SiloName}: Orleans Dashboard at http://127.0.0.1:{settings.DashboardPort}/");
        await app.RunAsync();
    }
    else
    {
        using var host = ((HostApplicationBuilder)builder).Build();
        await host.RunAsync();
    }
}
catch (Microsoft.Extensions.Options.OptionsValidationException e)
{
    foreach (var failure in e.Failures) Console.Error.WriteLine($"metarl-silo: {failure}");
    return 2;
}
return 0;
