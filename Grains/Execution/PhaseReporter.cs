using MetaRl.Learning.Training;

namespace MetaRl.Grains.Execution;

/// <summary>Hands a run's phases (from its training thread) to whoever publishes them; an iteration clears the phase.</summary>
public sealed class PhaseReporter(Action<RunPhase> publish) : IProgress<RunPhase>
{
    public void Report(RunPhase value) => publish(value);

    /// <summary>"validation 3/32", "test of the final model 250/1000"; null for an iteration.</summary>
    public static string? Describe(RunPhase phase) => phase.Kind switch
    {
        PhaseKind.Validation => $"validation {phase.Done}/{phase.Total}",
        PhaseKind.Test => $"test of {phase.What} {phase.Done}/{phase.Total}",
        _ => null,
    };
}
