using MetaRl.Grains.Execution;

namespace MetaRl.Grains.Hosting;

/// <summary>A silo's settings (bound from configuration "Silo:…", METARL_SILO__… variables and --Silo:… arguments).</summary>
public sealed record SiloOptions
{
    /// <summary>Unique per process; defaults to host name, process id and a random suffix.</summary>
    public string SiloId { get; init; } = $"{Environment.MachineName.ToLowerInvariant()}-{Environment.ProcessId}-{Guid.NewGuid().ToString("N")[..6]}";

    /// <summary>Cores this silo may use for runs at once (0: all of the machine's).</summary>
    public int CoreBudget { get; init; }

    /// <summary>GPUs this silo offers (−1: as many as libtorch sees).</summary>
    public int Gpus { get; init; } = -1;

    public TimeSpan PollInterval { get; init; } = TimeSpan.FromSeconds(2);
    public TimeSpan HeartbeatInterval { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Stop once nothing is runnable and no run is executing (for embedded and batch use).</summary>
    public bool ExitWhenIdle { get; init; }

    public ExecutorOptions Executor { get; init; } = new();

    public IReadOnlyList<string> Validate()
    {
        var e = new List<string>();
        if (!Interfaces.GrainKey.IsValidSegment(SiloId)) e.Add($"silo.siloId '{SiloId}' is invalid; allowed: lowercase letters, digits, '.', '_' and '-'");
        if (CoreBudget < 0) e.Add($"silo.coreBudget {CoreBudget} is invalid; allowed: 0 (all cores) or more");
        if (PollInterval <= TimeSpan.Zero) e.Add("silo.pollInterval must be positive");
        if (HeartbeatInterval <= TimeSpan.Zero) e.Add("silo.heartbeatInterval must be positive");
        e.AddRange(Executor.Validate());
        return e;
    }
}
