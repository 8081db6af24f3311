namespace MetaRl.Grains.Interfaces.State;

/// <summary>A silo's heartbeat record: who it is, what it can serve, what it runs now.</summary>
public sealed record SiloHeartbeat
{
    public string SiloId { get; init; } = "";
    public string Host { get; init; } = "";
    public int ProcessId { get; init; }
    public int Cores { get; init; }
    public int Gpus { get; init; }
    public long MemoryBytes { get; init; }
    public int CoreBudget { get; init; }
    public int CoresInUse { get; init; }
    public List<string> Runs { get; init; } = [];
    public DateTimeOffset Started { get; init; }
    public DateTimeOffset LastBeat { get; init; }
    public bool Stopping { get; init; }
}
