using MetaRl.Grains.Interfaces.Specs;

namespace MetaRl.Grains.Interfaces.State;

/// <summary>The sweep grain's state: its spec, its runs (ids decided by the spec alone) and their summaries as they finish.</summary>
public sealed record SweepState
{
    public string Id { get; init; } = "";
    public SweepSpec Spec { get; init; } = new();

    /// <summary>sha256 of the normalised spec: re-submitting the same spec is a no-op, a different one under the same name is refused.</summary>
    public string SpecHash { get; init; } = "";

    public DateTimeOffset Submitted { get; init; }
    public List<SweepRun> Runs { get; init; } = [];
    public Dictionary<string, RunSummary> Results { get; init; } = [];

    public bool Complete => Runs.Count > 0 && Runs.All(r => Results.ContainsKey(r.RunId));
}

/// <summary>One run of a sweep: its id and where it sits in the grid.</summary>
public sealed record SweepRun(string RunId, string Method, double Alpha, ulong Seed);

/// <summary>A finished run's test results, as the sweep aggregates them.</summary>
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
