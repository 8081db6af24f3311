using MetaRl.Learning.Training;

namespace MetaRl.Grains.Execution;

/// <summary>A trainer's latest iteration in memory, published by its training thread for queries.</summary>
public sealed record TrainerProgress(int Iteration, double LastIterationSeconds, IterationMetrics? LastMetrics);
