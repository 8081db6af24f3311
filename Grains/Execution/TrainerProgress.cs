using MetaRl.Learning.Training;

namespace MetaRl.Grains.Execution;

/// <summary>A trainer's latest iteration in memory, and the evaluation phase it is in (if any), published by its training thread for queries.</summary>
public sealed record TrainerProgress(int Iteration, double LastIterationSeconds, IterationMetrics? LastMetrics, string? Phase = null);
