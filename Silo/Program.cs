using System.Runtime.CompilerServices;
using MetaRl.Grains;
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
// Every setting is checked before anything starts or is written: a bad one is one line and exit code 2.
var settings = SiloSettings.Read(args);
if (settings.Problems.Count > 0) return Refuse(settings.Problems);

// Azure storage that does not answer: said within seconds, before the host (and the SDK's retries) start.
if (settings.Storage.Provider == StorageOptions.AzureProvider
    && await AzureStorageCheck.ReachAsync(settings.Storage, TimeSpan.FromSeconds(5), CancellationToken.None) is { } unreachable)
    return Refuse([unreachable]);

// On local storage this silo is the folder's one silo (localhost clustering): consoles on the folder connect to it.
LocalSilo? local = null;
if (settings.Storage.Provider == StorageOptions.LocalProvider)
{
    try
    {
        local = LocalSilo.TryClaim(settings.Storage.LocalPath, new LocalSiloInfo(Environment.ProcessId, settings.Hosting.GatewayPort, settings.Hosting.ClusterId, settings.Hosting.ServiceId, settings.Hosting.SiloName, DateTimeOffset.UtcNow));
    }
    catch (Exception e) when (e is IOException or UnauthorizedAccessException)
    {
        return Refuse([$"METARL_DATA (Storage:LocalPath) '{settings.Storage.LocalPath}' cannot be used: {e.Message}"]);
    }
    if (local is null)
    {
        var holder = LocalSilo.Find(settings.Storage.LocalPath);
        return Refuse([$"{settings.Storage.LocalPath} is served by another silo ({holder?.SiloName}, process {holder?.ProcessId}, gateway 127.0.0.1:{holder?.GatewayPort}); local storage takes one silo — for several, use Azure storage (Azurite in development)"]);
    }
}

// From here on the folder is claimed: whatever happens, it is let go (local-silo.json removed, the lock released) before the process ends.
var started = new StrongBox<bool>();
try
{
    return await RunAsync(settings, args, started);
}
catch (Microsoft.Extensions.Options.OptionsValidationException e)
{
    return Refuse(e.Failures);
}
catch (Exception e) when (e is not OutOfMemoryException)
{
    Console.Error.WriteLine($"metarl-silo: the silo {(started.Value ? "stopped on an error" : "did not start")}: {e.GetType().Name}: {Untrusted.Clean((e.InnerException is { } inner && e is AggregateException ? inner : e).Message.Split('\n')[0].Trim(), maxLines: 1)}");
    return 1;
}
finally
{
    local?.Dispose();
}

static int Refuse(IEnumerable<string> problems)
{
    foreach (var p in problems) Console.Error.WriteLine($"metarl-silo: {Untrusted.Clean(p, maxLines: 1)}");
    return 2;
}

static async Task<int> RunAsync(SiloSettings settings, string[] args, StrongBox<bool> started)
{
    IHostApplicationBuilder builder = settings.DashboardPort > 0 ? WebApplication.CreateBuilder(args) : Host.CreateApplicationBuilder(args);
    builder.Configuration.AddEnvironmentVariables("METARL_");
    // Orleans' own information lines are for its developers; membership changes are worth seeing in a silo's log.
    // Each line with its UTC time: what a failover took is read off a silo's log.
    builder.Logging.AddSimpleConsole(o =>
    {
        o.TimestampFormat = "yyyy-MM-dd HH:mm:ss.fff ";
        o.UseUtcTimestamp = true;
    });
    builder.Logging.AddFilter("Orleans", LogLevel.Warning);
    builder.Logging.AddFilter("Orleans.Runtime.MembershipService", LogLevel.Information);
    builder.Logging.AddFilter("Polly", LogLevel.Warning);
    // A host that cannot start is reported in one line of ours, not its stack trace.
    builder.Logging.AddFilter("Microsoft.Extensions.Hosting.Internal.Host", LogLevel.Critical);
    var telemetry = builder.Services.AddMetaRlTelemetry("metarl-silo", settings.Hosting.SiloName, settings.TelemetryPath, TimeSpan.FromSeconds(10));
    builder.Services.Configure<HostOptions>(h => h.ShutdownTimeout = settings.Training.ShutdownTimeout);
    builder.UseOrleans(silo =>
    {
        silo.UseMetaRlCluster(settings.Storage, settings.Hosting);
        // The training options come from the configuration that was checked.
        silo.AddMetaRlGrains(settings.Configuration, _ => BlobStoreFactory.Create(settings.Storage));
        if (settings.DashboardPort > 0) silo.AddDashboard();
    });

    var h = settings.Hosting;
    Console.WriteLine(Untrusted.Clean($"metarl-silo {h.SiloName}: storage {settings.Storage.Provider}, cluster '{h.ClusterId}', silo port {h.SiloPort}, gateway {h.AdvertisedIP}:{h.GatewayPort}, telemetry {telemetry}", maxLines: 1));
    if (builder is WebApplicationBuilder web)
    {
        await using var app = web.Build();
        app.Urls.Add($"http://127.0.0.1:{settings.DashboardPort}");
        app.MapOrleansDashboard();
        app.Lifetime.ApplicationStarted.Register(() => started.Value = true);
        Console.WriteLine($"metarl-silo {h.SiloName}: Orleans Dashboard at http://127.0.0.1:{settings.DashboardPort}/");
        await app.RunAsync();
    }
    else
    {
        using var host = ((HostApplicationBuilder)builder).Build();
        host.Services.GetRequiredService<IHostApplicationLifetime>().ApplicationStarted.Register(() => started.Value = true);
        await host.RunAsync();
    }
    return 0;
}
