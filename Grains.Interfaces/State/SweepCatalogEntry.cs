namespace MetaRl.Grains.Interfaces.State;

/// <summary>A sweep as the catalog lists it.</summary>
[GenerateSerializer(GenerateFieldIds = GenerateFieldIds.PublicProperties), Immutable, Alias("metarl.SweepCatalogEntry")]
public sealed record SweepCatalogEntry
{
    public string Id { get; init; } = "";
    public string Family { get; init; } = "";
    public string Learner { get; init; } = "";
    public int Runs { get; init; }
    public int Completed { get; init; }
    public int Failed { get; init; }
    public int Cancelled { get; init; }
    public DateTimeOffset Submitted { get; init; }
    public bool Finished { get; init; }

    /// <summary>Set (never stored) for a stored sweep whose state cannot be read: what is wrong.</summary>
    public string? Problem { get; init; }
}

/// <summary>The sweep catalog's state: every sweep ever submitted to this storage.</summary>
[GenerateSerializer(GenerateFieldIds = GenerateFieldIds.PublicProperties), Alias("metarl.SweepCatalogState")]
public sealed record SweepCatalogState
{
    public Dictionary<string, SweepCatalogEntry> Sweeps { get; init; } = [];
}
