using MetaRl.Grains.Interfaces.Specs;

namespace MetaRl.Grains.Interfaces.State;

/// <summary>The sweep grain's state: its spec, its runs (ids decided by the spec alone) and how each ended.</summary>
[GenerateSerializer(GenerateFieldIds = GenerateFieldIds.PublicProperties), Alias("metarl.SweepState")]
public sealed record SweepState
{
    public string Id { get; init; } = "";
    public SweepSpec Spec { get; init; } = new();

    /// <summary>sha256 of the normalised spec: re-submitting the same spec is a no-op, a different one under the same name is refused.</summary>
    public string SpecHash { get; init; } = "";

    public DateTimeOffset Submitted { get; init; }
    public List<SweepRun> Runs { get; init; } = [];

    /// <summary>Runs that ended (completed, failed or cancelled), by id.</summary>
    public Dictionary<string, RunEnd> Ended { get; init; } = [];

    public bool Complete => Runs.Count > 0 && Runs.All(r => Ended.ContainsKey(r.RunId));
    public int Completed => Ended.Values.Count(e => e.Status == RunStatus.Completed);
}

/// <summary>One run of a sweep: its id and where it sits in the grid.</summary>
[GenerateSerializer, Immutable, Alias("metarl.SweepRun")]
public sealed record SweepRun(string RunId, string Method, double Alpha, ulong Seed);

/// <summary>How a run ended: its status, its test results when it completed, the error when it failed.</summary>
[GenerateSerializer, Immutable, Alias("metarl.RunEnd")]
public sealed record RunEnd(RunStatus Status, RunSummary? Summary, string? Error);

/// <summary>A finished run's test results, as the sweep aggregates them.</summary>
[GenerateSerializer, Immutable, Alias("metarl.RunSummary")]
public sealed record RunSummary(
    string RunId,
    string Method,
    double Alpha,
    ulong Seed,
    int BestIteration,
    double Mean,
    double Cvar,
    double FinalMean,
    double FinalCvar,
    double PreMean,
    long EnvironmentSteps,
    double[][]? CemPhi);
