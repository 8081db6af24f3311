namespace MetaRl.Grains.Interfaces.State;

/// <summary>
/// A task grain's state: one fixed task of a run (a test or validation task), its parameters, the
/// scores it received in each evaluation, and — for off-policy learners — the append-only replay
/// segments recorded on it.
/// </summary>
[GenerateSerializer(GenerateFieldIds = GenerateFieldIds.PublicProperties), Alias("metarl.TaskState")]
public sealed record TaskState
{
    public string RunId { get; init; } = "";
    public string TaskId { get; init; } = "";
    public string Role { get; init; } = "test";
    public string Family { get; init; } = "";
    public double[] Latent { get; init; } = [];
    public Dictionary<string, double> Parameters { get; init; } = [];
    public List<TaskScore> Scores { get; init; } = [];
    /// <summary>Replay segments stored (a training task of an MQL run), each a blob written once.</summary>
    public int ReplaySegments { get; init; }
    public long ReplayTransitions { get; init; }

    /// <summary>
    /// One past the highest segment number stored. Numbers below it are stored except those in
    /// <see cref="ReplaySkipped"/>: segments the buffer sealed and dropped between two checkpoints
    /// (no checkpoint ever needs them).
    /// </summary>
    public long ReplayNextSegment { get; init; }
    public List<long> ReplaySkipped { get; init; } = [];

    /// <summary>Segment blob writes so far (more than <see cref="ReplaySegments"/> only when a resumed run stored a segment again).</summary>
    public int ReplaySegmentWrites { get; init; }
}

/// <summary>One evaluation of a task: which model, at which iteration, before and after adaptation.</summary>
[GenerateSerializer, Immutable, Alias("metarl.TaskScore")]
public sealed record TaskScore(string Model, int Iteration, double Pre, double Post);
