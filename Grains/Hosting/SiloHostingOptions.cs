namespace MetaRl.Grains.Hosting;

/// <summary>
/// Where a silo sits in its cluster (configuration section "Cluster": METARL_CLUSTER__SILOPORT=11112,
/// --Cluster:AdvertisedIP=10.0.0.4). Silos bind to loopback unless told otherwise.
/// </summary>
public sealed class SiloHostingOptions
{
    public const string Section = "Cluster";

    /// <summary>Silos with the same cluster and service ids (and storage) form one cluster.</summary>
    public string ClusterId { get; set; } = "metarl";

    public string ServiceId { get; set; } = "metarl";

    /// <summary>The silo's name in logs, run states and `metarl silos` (default: host, process id and a random suffix).</summary>
    public string SiloName { get; set; } = $"{Environment.MachineName.ToLowerInvariant()}-{Environment.ProcessId}-{Guid.NewGuid().ToString("N")[..4]}";

    /// <summary>The address other silos and clients reach this one at. Loopback by default: set the machine's address for a multi-machine cluster.</summary>
    public string AdvertisedIP { get; set; } = "127.0.0.1";

    /// <summary>Silo-to-silo port (0: a free one).</summary>
    public int SiloPort { get; set; } = 11111;

    /// <summary>Port clients connect to (0: a free one).</summary>
    public int GatewayPort { get; set; } = 30000;

    /// <summary>Membership: how long a probe may go unanswered (Orleans' default is 5 s; failover waits for missed probes).</summary>
    public TimeSpan ProbeTimeout { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Membership: missed probes before a silo is suspected (votes then declare it dead).</summary>
    public int MissedProbesLimit { get; set; } = 3;

    /// <summary>
    /// Membership: how often a silo writes "I am alive" to the membership table. A silo silent for two
    /// periods is stale: it no longer counts among the voters, so that survivors of a multi-silo failure
    /// can evict the dead quickly (Orleans' default, 30 s × 3, keeps a cluster that lost two of three
    /// silos waiting about 90 s).
    /// </summary>
    public TimeSpan IAmAlivePeriod { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Where spans and metrics go as JSON lines when OTEL_EXPORTER_OTLP_ENDPOINT is not set (default: under the data folder, or .metarl/telemetry).</summary>
    public string? TelemetryPath { get; set; }
}
