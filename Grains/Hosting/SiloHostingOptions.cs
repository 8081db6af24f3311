using System.Net;
using MetaRl.Grains.Interfaces;

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

    /// <summary>
    /// The silo's name in logs, run states and `metarl silos` (default: host, process id and a random
    /// suffix). It names the silo's telemetry file, so it takes letters, digits, '-', '_' and '.' only.
    /// </summary>
    public string SiloName { get; set; } = $"{MachinePart()}-{Environment.ProcessId}-{Guid.NewGuid().ToString("N")[..4]}";

    /// <summary>The address other silos and clients reach this one at. Loopback by default: set the machine's address for a multi-machine cluster.</summary>
    public string AdvertisedIP { get; set; } = "127.0.0.1";

    /// <summary>Silo-to-silo port.</summary>
    public int SiloPort { get; set; } = 11111;

    /// <summary>Port clients connect to.</summary>
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

    public const int MaxSiloNameLength = 64;

    /// <summary>Every problem of these settings, each naming its setting, the value and what is allowed; empty when they are fine.</summary>
    public List<string> Problems()
    {
        var e = new List<string>();
        string s = Section;
        foreach (var (name, value) in new[] { ("ClusterId", ClusterId), ("ServiceId", ServiceId) })
            if (!GrainKey.IsValidSegment(value ?? ""))
                e.Add($"{s}:{name} '{Shown(value)}' is invalid; allowed: 1–200 lowercase letters, digits, '.', '_' and '-'");
        if (!IsValidSiloName(SiloName))
            e.Add($"{s}:SiloName '{Shown(SiloName)}' is invalid; allowed: 1–{MaxSiloNameLength} letters, digits, '-', '_' and '.', not starting with '.' (it names the silo's telemetry file)");
        if (!IPAddress.TryParse(AdvertisedIP ?? "", out _)) e.Add($"{s}:AdvertisedIP '{Shown(AdvertisedIP)}' is invalid; allowed: an IP address such as 10.0.0.4");
        if (SiloPort is < 1 or > 65535) e.Add($"{s}:SiloPort {SiloPort} is invalid; allowed: 1–65535");
        if (GatewayPort is < 1 or > 65535) e.Add($"{s}:GatewayPort {GatewayPort} is invalid; allowed: 1–65535");
        if (SiloPort == GatewayPort) e.Add($"{s}:GatewayPort {GatewayPort} is invalid; allowed: a port other than Cluster:SiloPort");
        if (ProbeTimeout <= TimeSpan.Zero || ProbeTimeout > TimeSpan.FromMinutes(10)) e.Add($"{s}:ProbeTimeout {ProbeTimeout} is invalid; allowed: more than 0, at most 00:10:00");
        if (IAmAlivePeriod < TimeSpan.FromSeconds(1) || IAmAlivePeriod > TimeSpan.FromHours(1)) e.Add($"{s}:IAmAlivePeriod {IAmAlivePeriod} is invalid; allowed: 00:00:01–01:00:00");
        if (MissedProbesLimit is < 1 or > 100) e.Add($"{s}:MissedProbesLimit {MissedProbesLimit} is invalid; allowed: 1–100");
        if (TelemetryPath is not null && HostPaths.FileProblem(TelemetryPath, $"{s}:TelemetryPath") is { } telemetry) e.Add(telemetry);
        return e;
    }

    public static bool IsValidSiloName(string? name) =>
        !string.IsNullOrEmpty(name) && name.Length <= MaxSiloNameLength && name[0] != '.'
        && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.');

    /// <summary>The machine's name as a silo name may hold it: lowercase, other characters as '-', at most 40 characters.</summary>
    private static string MachinePart()
    {
        var name = new string(Environment.MachineName.ToLowerInvariant().Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' ? c : '-').Take(40).ToArray());
        return name.Length == 0 ? "silo" : name;
    }

    private static string Shown(string? value) => Untrusted.Clean(value, maxLine: 200, maxLines: 1);
}
