using Azure.Data.Tables;
using MetaRl.Grains.Interfaces;
using MetaRl.Grains.Interfaces.State;
using MetaRl.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orleans.Configuration;

namespace MetaRl.Testing;

/// <summary>
/// A cluster of real metarl-silo processes on a real Azurite (tables: membership and reminders;
/// blobs: grain state and data), and an Orleans client in the test process to watch it.
/// </summary>
public sealed class SiloCluster : IAsyncDisposable
{
    private readonly List<SiloProcess> _silos = [];
    private IHost? _client;

    public SiloCluster(string name)
    {
        Name = name;
        Azurite = AzuriteProcess.Start();
        Folder = Path.Combine(Path.GetTempPath(), $"metarl-{name}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(Folder);
        ClusterId = $"{name}-{Guid.NewGuid().ToString("N")[..6]}";
        Blobs = new AzureBlobStore(Azurite.ConnectionString, "metarl");
    }

    public string Name { get; }
    public AzuriteProcess Azurite { get; }
    public string Folder { get; }
    public string ClusterId { get; }
    public IBlobStore Blobs { get; }
    public IReadOnlyList<SiloProcess> Silos => _silos;

    public IGrainFactory Grains => _client?.Services.GetRequiredService<IGrainFactory>() ?? throw new InvalidOperationException("connect first");

    /// <summary>The settings every silo of this cluster gets (METARL_ is added).</summary>
    public Dictionary<string, string> SiloSettings(int coreBudget = 1, int checkpointEveryIterations = 20) => new()
    {
        ["STORAGE"] = "azure",
        ["AZURE_CONNECTION_STRING"] = Azurite.ConnectionString,
        ["CLUSTER__CLUSTERID"] = ClusterId,
        ["SILO__COREBUDGET"] = coreBudget.ToString(),
        ["SILO__GPUS"] = "0",
        ["SILO__CHECKPOINTEVERYITERATIONS"] = checkpointEveryIterations.ToString(),
    };

    /// <summary>The console's options for this cluster.</summary>
    public string[] CliOptions => ["--storage", "azure", "--connection-string", Azurite.ConnectionString, "--cluster-id", ClusterId];

    /// <param name="extra">More settings (METARL_ is added), e.g. SILO__CRASHEDSTARTSLIMIT.</param>
    public SiloProcess StartSilo(string siloName, int coreBudget = 1, int checkpointEveryIterations = 20, IReadOnlyDictionary<string, string>? extra = null)
    {
        var settings = SiloSettings(coreBudget, checkpointEveryIterations);
        foreach (var (key, value) in extra ?? new Dictionary<string, string>()) settings[key] = value;
        var silo = SiloProcess.Start(siloName, Folder, settings);
        _silos.Add(silo);
        return silo;
    }

    /// <summary>Connects the test's client once <paramref name="silos"/> silos are active.</summary>
    public async Task ConnectAsync(int silos)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Logging.ClearProviders();
        builder.UseOrleansClient(c =>
        {
            c.Configure<ClusterOptions>(o =>
            {
                o.ClusterId = ClusterId;
                o.ServiceId = "metarl";
            });
            c.UseAzureStorageClustering(o => o.TableServiceClient = new TableServiceClient(Azurite.ConnectionString));
            c.UseConnectionRetryFilter(async (_, ct) =>
            {
                await Task.Delay(500, ct);
                return true;
            });
        });
        _client = builder.Build();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        await _client.StartAsync(timeout.Token);
        while ((await Grains.GetGrain<IManagementGrain>(0).GetHosts(onlyActive: true)).Count < silos)
        {
            if (timeout.IsCancellationRequested) throw new TimeoutException($"{silos} silos did not become active:\n{string.Join("\n---\n", _silos.Select(s => s.Tail()))}");
            await Task.Delay(200);
        }
    }

    /// <summary>
    /// A call that may land on a silo that just died: its answer within a few seconds, or null. (Until
    /// membership declares the silo dead, a request that went to it gets no answer; Orleans gives up
    /// on it only at the response timeout.)
    /// </summary>
    public static async Task<T?> TryAsync<T>(Func<Task<T?>> call) where T : class
    {
        try
        {
            return await call().WaitAsync(TimeSpan.FromSeconds(5));
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            return null;
        }
    }

    public async Task<SiloView[]> SiloViewsAsync()
    {
        var hosts = await TryAsync<Dictionary<SiloAddress, SiloStatus>>(() => Grains.GetGrain<IManagementGrain>(0).GetHosts(onlyActive: true)!);
        if (hosts is null) return [];
        var views = await Task.WhenAll(hosts.Keys.Select(async s =>
        {
            try
            {
                return await Grains.GetGrain<ISiloGrain>(s.ToParsableString()).GetAsync().WaitAsync(TimeSpan.FromSeconds(5));
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                return null; // just died
            }
        }));
        return views.OfType<SiloView>().ToArray();
    }

    public async Task<SweepState> WaitForSweepAsync(string sweepId, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var state = await TryAsync(() => Grains.GetGrain<ISweepGrain>(sweepId).GetAsync());
            if (state?.Complete == true) return state;
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"sweep {sweepId} did not complete: {state?.Ended.Count}/{state?.Runs.Count} ended\n{string.Join("\n---\n", _silos.Select(s => $"{s.SiloName}:\n{s.Tail(15)}"))}");
            await Task.Delay(1000);
        }
    }

    /// <summary>Every silo's whole output, one file each, under tests/TestResults/silo-logs/{cluster id}/ (what a failed test leaves to read).</summary>
    private void SaveLogs()
    {
        try
        {
            var folder = Path.Combine(RepoPaths.Root, "tests", "TestResults", "silo-logs", ClusterId);
            Directory.CreateDirectory(folder);
            for (int i = 0; i < _silos.Count; i++)
                File.WriteAllLines(Path.Combine(folder, $"{i:D2}-{_silos[i].SiloName}.log"), _silos[i].Output);
        }
        catch (IOException)
        {
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_client is not null)
        {
            try
            {
                await _client.StopAsync(new CancellationTokenSource(TimeSpan.FromSeconds(10)).Token);
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
            }
            _client.Dispose();
        }
        foreach (var s in _silos) s.Dispose();
        Azurite.Dispose();
        SaveLogs();
    }
}
