namespace MetaRl.Grains.Interfaces.State;

/// <summary>
/// The answer to a sweep submission. Refused submissions name every problem (field and allowed
/// values) and changed nothing.
/// </summary>
[GenerateSerializer, Immutable, Alias("metarl.SubmitResult")]
public sealed record SubmitResult(SubmitOutcome Outcome, IReadOnlyList<string> Problems, SweepState? Sweep)
{
    public bool Accepted => Outcome is SubmitOutcome.Created or SubmitOutcome.Unchanged;
}

public enum SubmitOutcome
{
    /// <summary>A new sweep; its runs were created and started.</summary>
    Created,

    /// <summary>The same spec was submitted before; its unfinished runs were woken.</summary>
    Unchanged,

    /// <summary>The spec is invalid (see the problems).</summary>
    Invalid,

    /// <summary>The name is taken by a different spec.</summary>
    Conflict,

    /// <summary>No silo of the cluster can run it (e.g. it needs a GPU and none has one).</summary>
    Unplaceable,
}
