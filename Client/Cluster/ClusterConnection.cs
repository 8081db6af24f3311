using System.CommandLine;
using Azure.Data.Tables;
using MetaRl.Grains.Hosting;
using MetaRl.Grains.Interfaces.State;
using MetaRl.Grains.Telemetry;
using MetaRl.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;
using Orleans.Configuration;
using Orleans.Dashboard;

namespace MetaRl.Client.Cluster;

/// <summary>
/// The console's way to the grains. Azure storage: an Orleans client through the cluster's gateways
/// (listed in the Azure Table membership); when none answers within seconds the command fails with
/// exit code 2, naming what it tried. Local storage (the embedded default): a client of the embedded
/// silo of another `metarl` process on the same data folder when one runs; otherwise a silo
/// co-hosted in this process (one that trains for `sweep run`, one that only answers otherwise).
/// </summary>
public sealed class ClusterConnection : IAsyncDisposable
{
    /// <summary>How long the client keeps trying while every attempt fails (no gateway listed, none listening): "within seconds".</summary>
    private static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(10);

    /// <summary>
    /// How long a start that has not failed may take: on a busy machine (silos training on every core)
    /// the client's start alone can take longer than <see cref="ConnectTimeout"/>, and it is not a failure.
    /// </summary>
    private static readonly TimeSpan SlowStartLimit = TimeSpan.FromSeconds(60);
    private readonly IHost _host;
    private readonly Action? _onDispose;

    private ClusterConnection(IHost host, string description, bool trainsHere, string? telemetry, Action? onDispose)
    {
        _host = host;
        Description = description;
        TrainsHere = trainsHere;
        Telemetry = telemetry;
        _onDispose = onDispose;
    }

    public IGrainFactory Grains => _host.Services.GetRequiredService<IGrainFactory>();
    public IClusterClient Client => _host.Services.GetRequiredService<IClusterClient>();

    /// <summary>Where the command's grains are ("embedded silo in this process", "cluster 'metarl' via …").</summary>
    public string Description { get; }

    /// <summary>True when this process's own silo trains the runs (stopping the process stops them, after a checkpoint).</summary>
    public bool TrainsHere { get; }

    /// <summary>Where this process's spans and metrics go (embedded training silo only).</summary>
    public string? Telemetry { get; }

    /// <summary>A client of another process's silo on the local folder: that silo, as it published itself.</summary>
    public LocalSiloInfo? LocalServer { get; private init; }

    /// <summary>The Orleans Dashboard's address when this process's silo serves it (`sweep run --dashboard-port`).</summary>
    public string? Dashboard { get; private init; }

    /// <param name="dashboardPort">Train mode with an embedded silo: serve the Orleans Dashboard on 127.0.0.1 at this port (0: no dashboard).</param>
    /// <param name="refusals">
    /// Train mode with an embedded silo: why that silo (its view as it would describe itself) could not
    /// do the command's work; any answer is a <see cref="UsageException"/> before the folder is claimed
    /// or anything is created.
    /// </param>
    public static async Task<ClusterConnection> OpenAsync(ParseResult parse, ConnectMode mode, CancellationToken ct, IReadOnlyDictionary<string, string?>? siloSettings = null, int dashboardPort = 0,
        Func<SiloView, IReadOnlyList<string>>? refusals = null)
    {
        var storage = GlobalOptions.StorageFrom(parse);
        var hosting = GlobalOptions.HostingFrom(parse);
        bool verbose = parse.GetValue(GlobalOptions.Verbose);
        if (storage.Provider == StorageOptions.AzureProvider) return await ClientAsync(storage, hosting, local: null, ct);
        if (LocalSilo.Find(storage.LocalPath) is { } running)
        {
            try
            {
                return await ClientAsync(storage, hosting, running, ct);
            }
            catch (UsageException) when (LocalSilo.Find(storage.LocalPath)?.ProcessId != running.ProcessId)
            {
                // That silo was stopping (its sweep ended) and has let go of the folder: serve it here instead.
            }
        }
        // The embedded silo's settings (METARL_SILO__* and this command's) are checked before the folder is claimed or anything is created.
        var problems = SiloConfiguration.TrainingProblems(EmbeddedConfiguration(mode == ConnectMode.Train ? siloSettings ?? new Dictionary<string, string?>() : new Dictionary<string, string?>(), mode == ConnectMode.Train));
        if (problems.Count > 0) throw new UsageException(string.Join("; ", problems));
        if (mode == ConnectMode.Train && refusals?.Invoke(EmbeddedView(siloSettings)) is { Count: > 0 } refused)
            throw new UsageException($"the sweep was refused (nothing was written):\n  {string.Join("\n  ", refused.Select(r => Untrusted.Problem(r)))}");
        if (mode == ConnectMode.Query) return await EmbeddedAsync(storage, hosting, train: false, new Dictionary<string, string?>(), claim: null, ct, verbose: verbose);
        hosting.SiloPort = LoopbackPorts.Free();
        hosting.GatewayPort = LoopbackPorts.Free();
        var claim = LocalSilo.TryClaim(storage.LocalPath, new LocalSiloInfo(Environment.ProcessId, hosting.GatewayPort, hosting.ClusterId, hosting.ServiceId, hosting.SiloName, DateTimeOffset.UtcNow,
            siloSettings?.GetValueOrDefault($"{TrainingOptions.Section}:OnlySweep")));
        if (claim is null && LocalSilo.Find(storage.LocalPath) is { } raced) // another process started a silo at the same moment
            return await ClientAsync(storage, hosting, raced, ct);
        if (claim is null) throw new UsageException($"another metarl process holds {storage.LocalPath} but does not say how to reach it; try again");
        return await EmbeddedAsync(storage, hosting, train: true, siloSettings ?? new Dictionary<string, string?>(), claim, ct, dashboardPort, verbose);
    }

    private static async Task<ClusterConnection> ClientAsync(StorageOptions storage, SiloHostingOptions hosting, LocalSiloInfo? local, CancellationToken ct)
    {
        if (local is not null) hosting = new SiloHostingOptions { ClusterId = local.ClusterId, ServiceId = local.ServiceId };
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        Quiet(builder.Logging);
        // Failing attempts count from the first failure, so that a slow start is not cut short by a clock started before it.
        var failing = new System.Diagnostics.Stopwatch();
        var started = System.Diagnostics.Stopwatch.StartNew();
        builder.UseOrleansClient(client =>
        {
            if (local is not null) client.UseLocalhostClustering(local.GatewayPort, hosting.ServiceId, hosting.ClusterId);
            else
            {
                client.Configure<ClusterOptions>(o =>
                {
                    o.ClusterId = hosting.ClusterId;
                    o.ServiceId = hosting.ServiceId;
                });
                client.UseAzureStorageClustering(o => o.TableServiceClient = new TableServiceClient(storage.ConnectionString));
            }
            client.UseConnectionRetryFilter(async (_, token) =>
            {
                if (!failing.IsRunning) failing.Start();
                if (failing.Elapsed > ConnectTimeout) return false;
                if (local is not null && LocalSilo.Find(storage.LocalPath)?.ProcessId != local.ProcessId) return false; // it let go of the folder
                await Task.Delay(500, token);
                return true;
            });
        });
        var host = builder.Build();
        string tried = local is not null
            ? $"the silo serving {storage.LocalPath} ({local.SiloName}, process {local.ProcessId}, gateway 127.0.0.1:{local.GatewayPort})"
            : $"the gateways of cluster '{hosting.ClusterId}' (service '{hosting.ServiceId}') listed in Azure Table storage at {TableEndpoint(storage)}";
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(SlowStartLimit);
        try
        {
            await host.StartAsync(timeout.Token);
        }
        catch (Exception e) when (e is not OutOfMemoryException && !ct.IsCancellationRequested)
        {
            host.Dispose();
            throw new UsageException($"no cluster answered within {started.Elapsed.TotalSeconds:F0} s: tried {tried} ({FirstLine(e.Message)}). Start silos (metarl-silo; see README) or check --storage, --connection-string and --cluster-id");
        }
        return new ClusterConnection(host, local is not null ? $"a silo of another process ({local.SiloName}, process {local.ProcessId}) serving {storage.LocalPath}" : $"cluster '{hosting.ClusterId}' via {tried}", trainsHere: false, telemetry: null, onDispose: null)
        {
            LocalServer = local,
        };
    }

    private static async Task<ClusterConnection> EmbeddedAsync(StorageOptions storage, SiloHostingOptions hosting, bool train, IReadOnlyDictionary<string, string?> siloSettings, LocalSilo? claim, CancellationToken ct, int dashboardPort = 0, bool verbose = false)
    {
        if (!train)
        {
            hosting.SiloPort = LoopbackPorts.Free();
            hosting.GatewayPort = LoopbackPorts.Free();
        }
        var configuration = EmbeddedConfiguration(siloSettings, train);
        IHostApplicationBuilder builder = dashboardPort > 0
            ? WebApplication.CreateBuilder(new WebApplicationOptions { Args = [] })
            : Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        Quiet(builder.Logging, train, verbose);
        builder.Services.Configure<HostOptions>(h => h.ShutdownTimeout = TimeSpan.FromMinutes(10));
        string? telemetry = train
            ? builder.Services.AddMetaRlTelemetry("metarl", hosting.SiloName, Path.Combine(storage.LocalPath, "telemetry", $"{hosting.SiloName}.jsonl"), TimeSpan.FromSeconds(10))
            : null;
        builder.UseOrleans(silo =>
        {
            silo.UseMetaRlCluster(storage, hosting);
            silo.AddMetaRlGrains(configuration, _ => BlobStoreFactory.Create(storage));
            if (dashboardPort > 0) silo.AddDashboard();
        });
        IHost host;
        if (builder is WebApplicationBuilder web)
        {
            var app = web.Build();
            app.Urls.Clear();
            app.Urls.Add($"http://127.0.0.1:{dashboardPort}");
            app.MapOrleansDashboard();
            host = app;
        }
        else host = ((HostApplicationBuilder)builder).Build();
        try
        {
            await host.StartAsync(ct);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            host.Dispose();
            claim?.Dispose();
            if (e is Microsoft.Extensions.Options.OptionsValidationException invalid) throw new UsageException(string.Join("; ", invalid.Failures));
            throw;
        }
        return new ClusterConnection(host, train ? $"a silo in this process (gateway 127.0.0.1:{hosting.GatewayPort}) over {storage.LocalPath}" : $"a silo in this process that only answers queries, over {storage.LocalPath}", train, telemetry, claim is null ? null : claim.Dispose)
        {
            Dashboard = dashboardPort > 0 ? $"http://127.0.0.1:{dashboardPort}/" : null,
        };
    }

    /// <summary>The embedded training silo as it would describe itself (its capabilities; nothing is started).</summary>
    private static SiloView EmbeddedView(IReadOnlyDictionary<string, string?>? siloSettings)
    {
        var options = SiloConfiguration.Bind<TrainingOptions>(EmbeddedConfiguration(siloSettings ?? new Dictionary<string, string?>(), train: true), TrainingOptions.Section, []);
        return new SiloView
        {
            Name = "this process's silo",
            Trains = true,
            Gpus = options.EffectiveGpus,
            MemoryBytes = options.EffectiveMemoryBytes,
            CoreBudget = options.EffectiveCoreBudget,
            Cores = Environment.ProcessorCount,
        };
    }

    /// <summary>The embedded silo's configuration: METARL_* variables, then this command's settings.</summary>
    private static IConfiguration EmbeddedConfiguration(IReadOnlyDictionary<string, string?> siloSettings, bool train)
    {
        var settings = new Dictionary<string, string?>(siloSettings) { [$"{TrainingOptions.Section}:Enabled"] = train ? "true" : "false" };
        return new ConfigurationBuilder().AddEnvironmentVariables("METARL_").AddInMemoryCollection(settings).Build();
    }

    /// <summary>
    /// Logging of a host in this process. A silo that trains here logs the runs' progress (MetaRl from
    /// information on, everything else from warnings on) to its telemetry file, and to the console
    /// (stderr) only with --verbose: the console shows the command's own progress. A client or a silo
    /// that only answers this command's questions shows warnings on stderr, Orleans' own notes about its
    /// host aside. Every line on the console is one line, made safe (<see cref="SafeLogFormatter"/>).
    /// </summary>
    private static void Quiet(ILoggingBuilder logging, bool train = false, bool verbose = false)
    {
        logging.ClearProviders();
        logging.SetMinimumLevel(LogLevel.Warning);
        logging.AddFilter("Polly", LogLevel.None);
        // A client that cannot start says why in one line of ours (UsageException); the host's own report is a stack trace.
        logging.AddFilter("Microsoft.Extensions.Hosting", LogLevel.None);
        if (train) logging.AddFilter("MetaRl", LogLevel.Information);
        // A silo that only answers this command's questions: what its grains fail to read reaches the user as the command's own error.
        else logging.AddFilter("MetaRl.Storage", LogLevel.None);
        if (train && !verbose) return;
        logging.AddConsole(o =>
        {
            o.FormatterName = SafeLogFormatter.FormatterName;
            o.LogToStandardErrorThreshold = LogLevel.Trace;
        }).AddConsoleFormatter<SafeLogFormatter, ConsoleFormatterOptions>();
        // A console user is not running a cluster: Orleans' notes about its own host (GC mode, startup stalls, connections) are noise unless asked for.
        logging.AddFilter<ConsoleLoggerProvider>("Orleans", verbose ? LogLevel.Warning : LogLevel.Critical);
    }

    private static string TableEndpoint(StorageOptions storage)
    {
        try
        {
            return new TableServiceClient(storage.ConnectionString).Uri.ToString();
        }
        catch (Exception e) when (e is FormatException or ArgumentException or InvalidOperationException)
        {
            return "(the connection string has no usable table endpoint)";
        }
    }

    private static string FirstLine(string s) => s.Split('\n')[0].Trim();

    /// <summary>Stops the client, or the co-hosted silo: its runs finish their iteration and checkpoint first.</summary>
    public async ValueTask DisposeAsync()
    {
        try
        {
            await _host.StopAsync(CancellationToken.None);
        }
        finally
        {
            _onDispose?.Invoke();
            _host.Dispose();
        }
    }
}
