namespace MetaRl.Learning.Training;

/// <summary>The kinds of long phase a run goes through.</summary>
public enum PhaseKind
{
    /// <summary>A meta-iteration: <see cref="RunPhase.Done"/> iterations done of <see cref="RunPhase.Total"/>.</summary>
    Training,

    /// <summary>A validation: tasks adapted to and scored so far, of the validation set.</summary>
    Validation,

    /// <summary>The test of a model (<see cref="RunPhase.What"/>: "the final model", "the selected model"): test tasks done so far.</summary>
    Test,
}

/// <summary>Where a run is in a long phase, for whoever shows progress (<see cref="MetaTrainingRun.Progress"/>).</summary>
public readonly record struct RunPhase(PhaseKind Kind, string What, int Done, int Total);

/// <summary>A learner's count of tasks done, told as a phase of the run.</summary>
internal sealed class TaskCount(IProgress<RunPhase> to, PhaseKind kind, string what, int total) : IProgress<int>
{
    public void Report(int done) => to.Report(new RunPhase(kind, what, done, total));
}
