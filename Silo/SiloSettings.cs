using System.Net;
using MetaRl.Grains.Hosting;
using MetaRl.Storage;
using Microsoft.Extensions.Configuration;

namespace MetaRl.Silo;

/// <summary>The silo's storage, cluster placement and dashboard settings, read and checked before anything starts.</summary>
public sealed record SiloSettings(StorageOptions Storage, SiloHostingOptions Hosting, int DashboardPort, string TelemetryPath, IReadOnlyList<string> Problems)
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
        problems.AddRange(storage.Validate());
        var hosting = SiloConfiguration.Bind<SiloHostingOptions>(configuration, SiloHostingOptions.Section, problems);
        // The training section is bound again by the host; checked here so that a bad value is one line, before anything starts.
        problems.AddRange(SiloConfiguration.TrainingProblems(configuration));
        if (!IPAddress.TryParse(hosting.AdvertisedIP, out _)) problems.Add($"Cluster:AdvertisedIP '{hosting.AdvertisedIP}' is not an IP address");
        if (hosting.SiloPort is < 0 or > 65535) problems.Add($"Cluster:SiloPort {hosting.SiloPort} is invalid; allowed: 0–65535");
        if (hosting.GatewayPort is < 0 or > 65535) problems.Add($"Cluster:GatewayPort {hosting.GatewayPort} is invalid; allowed: 0–65535");
        if (hosting.ProbeTimeout <= TimeSpan.Zero) problems.Add($"Cluster:ProbeTimeout {hosting.ProbeTimeout} is invalid; allowed: more than 0");
        if (hosting.IAmAlivePeriod < TimeSpan.FromSeconds(1)) problems.Add($"Cluster:IAmAlivePeriod {hosting.IAmAlivePeriod} is invalid; allowed: 1 s or more");
        if (hosting.MissedProbesLimit < 1) problems.Add($"Cluster:MissedProbesLimit {hosting.MissedProbesLimit} is invalid; allowed: 1 or more");
        int dashboard = 0;
        var dashboardText = configuration["dashboard-port"];
        if (dashboardText is not null && (!int.TryParse(dashboardText, out dashboard) || dashboard is < 1 or > 65535))
            problems.Add($"--dashboard-port '{dashboardText}' is invalid; allowed: a port 1–65535");
        var telemetry = hosting.TelemetryPath
            ?? Path.Combine(storage.Provider == StorageOptions.LocalProvider ? storage.LocalPath : ".metarl", "telemetry", $"{hosting.SiloName}.jsonl");
        return new SiloSettings(storage, hosting, dashboard, telemetry, problems);
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
