namespace MetaRl.Grains.Interfaces.State;

/// <summary>What a sweep hands one of its runs when it creates it: everything the run needs to train.</summary>
[GenerateSerializer, Immutable, Alias("metarl.RunDefinition")]
public sealed record RunDefinition(string RunId, string SweepId, string SpecJson, string Method, double Alpha, ulong Seed, int Iterations, int Cores, bool Gpu);
