namespace MetaRl.Grains.Interfaces.State;

/// <summary>One silo as it describes itself: capabilities, core budget and the runs it trains.</summary>
[GenerateSerializer(GenerateFieldIds = GenerateFieldIds.PublicProperties), Immutable, Alias("metarl.SiloView")]
public sealed record SiloView
{
    public string Address { get; init; } = "";
    public string Name { get; init; } = "";
    public string Host { get; init; } = "";
    public int ProcessId { get; init; }
    public int Cores { get; init; }
    public int CoreBudget { get; init; }
    public int CoresInUse { get; init; }

    /// <summary>The most cores its runs ever used at once (never above the budget).</summary>
    public int PeakCoresInUse { get; init; }

    /// <summary>Cores the waiting runs ask for.</summary>
    public int WaitingCores { get; init; }

    public int Gpus { get; init; }

    /// <summary>False for a silo that only answers queries (the console's read-only embedded silo).</summary>
    public bool Trains { get; init; } = true;
    public long MemoryBytes { get; init; }

    /// <summary>Runs training here now.</summary>
    public List<string> Training { get; init; } = [];

    /// <summary>Runs activated here that wait for room.</summary>
    public List<string> Waiting { get; init; } = [];

    public DateTimeOffset Started { get; init; }

    public int FreeCores => CoreBudget - CoresInUse;
}
