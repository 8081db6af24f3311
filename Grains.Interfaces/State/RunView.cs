namespace MetaRl.Grains.Interfaces.State;

/// <summary>
/// A run as its activation sees it now: the durable state, and what is not durable yet — the
/// iteration in memory (ahead of the last checkpoint), whether it trains or waits for room.
/// </summary>
[GenerateSerializer, Immutable, Alias("metarl.RunView")]
public sealed record RunView(RunState State, RunLive Live);

/// <summary>The live part of <see cref="RunView"/>.</summary>
[GenerateSerializer(GenerateFieldIds = GenerateFieldIds.PublicProperties), Immutable, Alias("metarl.RunLive")]
public sealed record RunLive
{
    /// <summary>training, queued (waiting for room on its silo), idle, or stopping.</summary>
    public string Activity { get; init; } = "idle";

    /// <summary>The silo this activation lives on.</summary>
    public string Silo { get; init; } = "";

    /// <summary>Iterations done in memory (committed ones and those since the last checkpoint).</summary>
    public int Iteration { get; init; }

    public double LastIterationSeconds { get; init; }
    public double? LastMeanScore { get; init; }
    public double? LastCvarScore { get; init; }

    /// <summary>A robust run's CEM distribution after its latest iteration in memory (φ per latent dimension); null otherwise.</summary>
    public double[][]? LastCemPhi { get; init; }

    /// <summary>
    /// The long phase the run is in beyond its iterations, with its count: "validation 3/32", "test of the
    /// final model 250/1000" (a test or validation adapts to every task and can take minutes); null while
    /// it iterates or waits.
    /// </summary>
    public string? Phase { get; init; }
}
