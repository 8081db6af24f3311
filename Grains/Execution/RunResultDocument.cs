using MetaRl.Grains.Interfaces.State;
using MetaRl.Learning.Training;

namespace MetaRl.Grains.Execution;

/// <summary>What a finished run leaves in result.json: its test results with every task's score.</summary>
public sealed record RunResultDocument(string RunId, string SweepId, string Method, double Alpha, ulong Seed, RunResult Result, int Iterations, long EnvironmentSteps, double[][]? CemPhi)
{
    /// <summary>What the sweep keeps of it.</summary>
    public RunSummary ToSummary() => new(RunId, Method, Alpha, Seed, Result.BestIteration, Result.Best.Mean, Result.Best.Cvar,
        Result.Final.Mean, Result.Final.Cvar, Result.Best.PreMean, EnvironmentSteps, CemPhi);
}
