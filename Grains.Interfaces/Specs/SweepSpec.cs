using System.Text.Json;

namespace MetaRl.Grains.Interfaces.Specs;

/// <summary>
/// A sweep: methods × α × seeds runs of one learner on one task family (docs/SWEEPS.md). The
/// baseline does not depend on α, so one set of baseline seeds serves every α. <see cref="Run"/>
/// holds any further run settings (the fields of a run spec, camelCase), applied to every run.
/// </summary>
[GenerateSerializer(GenerateFieldIds = GenerateFieldIds.PublicProperties), Immutable, Alias("metarl.SweepSpec")]
public sealed record SweepSpec
{
    public string Name { get; init; } = "";
    public string Family { get; init; } = "";
    public string Learner { get; init; } = "";
    public string[] Methods { get; init; } = ["baseline", "cvar-ml", "roml"];
    public double[] Alpha { get; init; } = [0.05];
    public int Seeds { get; init; } = 3;

    /// <summary>Seeds are FirstSeed, FirstSeed+1, …</summary>
    public ulong FirstSeed { get; init; } = 1;

    public SweepBudget Budget { get; init; } = new();
    public SweepEvaluation? Evaluation { get; init; }
    public SweepResources Resources { get; init; } = new();

    /// <summary>Extra run-spec fields (e.g. {"metaBatch": 20, "rl": {"episodesPerTask": 10}}).</summary>
    public JsonElement? Run { get; init; }
}

/// <summary>How long each run trains.</summary>
[GenerateSerializer(GenerateFieldIds = GenerateFieldIds.PublicProperties), Immutable, Alias("metarl.SweepBudget")]
public sealed record SweepBudget
{
    /// <summary>Meta-iterations per run.</summary>
    public int Iterations { get; init; } = 100;
}

[GenerateSerializer(GenerateFieldIds = GenerateFieldIds.PublicProperties), Immutable, Alias("metarl.SweepEvaluation")]
public sealed record SweepEvaluation
{
    public int? TestTasks { get; init; }
    public int? ValidationTasks { get; init; }
    public int? ValidateEvery { get; init; }

    /// <summary>Test tasks drawn inside this latent box (one [low, high] per latent dimension); null: the original distribution.</summary>
    public double[][]? TestLatentRange { get; init; }
}

/// <summary>What one run of the sweep needs from a silo.</summary>
[GenerateSerializer(GenerateFieldIds = GenerateFieldIds.PublicProperties), Immutable, Alias("metarl.SweepResources")]
public sealed record SweepResources
{
    public int Cores { get; init; } = 1;
    public bool Gpu { get; init; }
}
