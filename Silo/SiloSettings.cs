using System.Net;
using System.Net.Sockets;
using MetaRl.Grains.Hosting;
using MetaRl.Storage;
using Microsoft.Extensions.Configuration;

namespace MetaRl.Silo;

/// <summary>
/// Every setting the silo host takes — storage, cluster placement, training, telemetry, dashboard —
/// read and checked before anything starts or is written: each problem names the setting, its value
/// (secrets hidden) and what is allowed.
/// </summary>
public sealed record SiloSettings(IConfiguration Configuration, StorageOptions Storage, SiloHostingOptions Hosting, TrainingOptions Training, int DashboardPort, string TelemetryPath, IReadOnlyList<string> Problems)
{
    public static SiloSettings Read(string[] args)
    {
        var configuration = new ConfigurationBuilder()
            .AddJsonFile("appsettings.json", optional: true)
            .AddEnvironmentVariables("METARL_")
            .AddCommandLine(args)
            .Build();
        var problems = new List<string>();
        var storage = StorageFrom(configuration);
        var storageProblems = storage.Validate();
        problems.AddRange(storageProblems);
        if (storageProblems.Count == 0 && storage.Provider == StorageOptions.LocalProvider && HostPaths.FolderProblem(storage.LocalPath, "METARL_DATA (Storage:LocalPath)") is { } folder)
            problems.Add(folder);
        // Membership and reminders live in tables: the table client must read the string too.
        if (storageProblems.Count == 0 && storage.Provider == StorageOptions.AzureProvider && AzureStorageCheck.TableProblem(storage.ConnectionString!) is { } table)
            problems.Add($"connection string (METARL_AZURE_CONNECTION_STRING or Storage:ConnectionString) '{AzureConnectionString.Redacted(storage.ConnectionString!)}' is invalid: {table}; allowed: {AzureConnectionString.Allowed}");
        var hosting = SiloConfiguration.Bind<SiloHostingOptions>(configuration, SiloHostingOptions.Section, problems);
        problems.AddRange(hosting.Problems());
        // The training section is bound again by the host (from this configuration); checked here so that a bad value is one line, before anything starts.
        var trainingProblems = SiloConfiguration.TrainingProblems(configuration);
        problems.AddRange(trainingProblems);
        var training = trainingProblems.Count == 0 ? configuration.GetSection(TrainingOptions.Section).Get<TrainingOptions>() ?? new TrainingOptions() : new TrainingOptions();
        int dashboard = 0;
        var dashboardText = configuration["dashboard-port"];
        if (dashboardText is not null && (!int.TryParse(dashboardText, out dashboard) || dashboard is < 1 or > 65535))
            problems.Add($"--dashboard-port '{dashboardText}' is invalid; allowed: a port 1–65535");
        var telemetry = hosting.TelemetryPath
            ?? Path.Combine(storage.Provider == StorageOptions.LocalProvider ? storage.LocalPath : ".metarl", "telemetry", $"{hosting.SiloName}.jsonl");
        // The default telemetry file (under the data folder, or .metarl/ here) must be writable too.
        if (hosting.TelemetryPath is null && problems.Count == 0 && HostPaths.FileProblem(telemetry, "telemetry file (Cluster:TelemetryPath: default under the data folder, or .metarl/telemetry)") is { } file)
            problems.Add(file);
        if (problems.Count == 0) problems.AddRange(EndpointProblems(storage, hosting, dashboard));
        return new SiloSettings(configuration, storage, hosting, training, dashboard, telemetry, problems);
    }

    /// <summary>
    /// The silo's ports bound for a moment on its address (loopback on local storage), so that a port in
    /// use or an address not of this machine is named here rather than failing inside the host.
    /// </summary>
    private static List<string> EndpointProblems(StorageOptions storage, SiloHostingOptions hosting, int dashboard)
    {
        var problems = new List<string>();
        var address = storage.Provider == StorageOptions.LocalProvider ? IPAddress.Loopback : IPAddress.Parse(hosting.AdvertisedIP);
        var ports = new List<(string Setting, int Port, IPAddress Address)> { ("Cluster:SiloPort", hosting.SiloPort, address), ("Cluster:GatewayPort", hosting.GatewayPort, address) };
        if (dashboard > 0) ports.Add(("--dashboard-port", dashboard, IPAddress.Loopback));
        foreach (var (setting, port, on) in ports)
        {
            var listener = new TcpListener(on, port);
            try
            {
                listener.Start();
            }
            catch (SocketException e) when (e.SocketErrorCode == SocketError.AddressAlreadyInUse)
            {
                problems.Add($"{setting} {port} is invalid: {on}:{port} is in use; allowed: a free port");
            }
            catch (SocketException e) when (e.SocketErrorCode == SocketError.AddressNotAvailable)
            {
                problems.Add($"Cluster:AdvertisedIP '{on}' is invalid: it is not an address of this machine; allowed: one of this machine's addresses");
                break;
            }
            catch (SocketException e)
            {
                problems.Add($"{setting} {port} is invalid: {on}:{port} cannot be bound ({e.SocketErrorCode}); allowed: a free port");
            }
            finally
            {
                listener.Stop();
            }
        }
        return problems;
    }

    /// <summary>The METARL_* variables, overridden by a "Storage" configuration section.</summary>
    public static StorageOptions StorageFrom(IConfiguration configuration)
    {
        var o = StorageOptions.FromEnvironment();
        var s = configuration.GetSection("Storage");
        return o with
        {
            Provider = s["Provider"] ?? o.Provider,
            LocalPath = s["LocalPath"] ?? o.LocalPath,
            ConnectionString = s["ConnectionString"] ?? o.ConnectionString,
            Container = s["Container"] ?? o.Container,
        };
    }
}
