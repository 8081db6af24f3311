namespace MetaRl.Grains.Interfaces.State;

/// <summary>Where a run is in its life.</summary>
public enum RunStatus
{
    /// <summary>Created, waiting for a silo with room (never started, or its silo went away).</summary>
    Pending,

    /// <summary>An activation trains it.</summary>
    Running,

    Paused,
    Completed,
    Cancelled,

    /// <summary>It failed in a way that retrying cannot fix (the error is recorded).</summary>
    Failed,
}

/// <summary>What users asked of a run.</summary>
public enum RunDesire
{
    Run,
    Pause,
    Cancel,
}

/// <summary>One committed checkpoint: its iteration and the folder its parts and manifest are in.</summary>
[GenerateSerializer, Immutable, Alias("metarl.CheckpointRef")]
public sealed record CheckpointRef(int Iteration, string Folder);

/// <summary>
/// The meta-policy grain's persisted state (one training run). Everything it says is durable: the
/// iteration is that of the last committed checkpoint, and the metrics blob holds exactly the lines
/// of the committed iterations (<see cref="MetricsLength"/> bytes of it).
/// </summary>
[GenerateSerializer(GenerateFieldIds = GenerateFieldIds.PublicProperties), Immutable, Alias("metarl.RunState")]
public sealed record RunState
{
    public string Id { get; init; } = "";
    public string SweepId { get; init; } = "";

    /// <summary>The run spec (Learning's RunSpec) as JSON.</summary>
    public string SpecJson { get; init; } = "";

    public string Method { get; init; } = "";
    public double Alpha { get; init; }
    public ulong Seed { get; init; }
    public int Iterations { get; init; }
    public int Cores { get; init; } = 1;
    public bool Gpu { get; init; }

    public RunStatus Status { get; init; } = RunStatus.Pending;
    public RunDesire Desired { get; init; } = RunDesire.Run;

    /// <summary>Iterations committed (= the newest checkpoint's iteration).</summary>
    public int Iteration { get; init; }

    public long EnvironmentSteps { get; init; }

    /// <summary>Committed checkpoints, oldest first; the last one is current (a corrupt one is skipped for its predecessor).</summary>
    public List<CheckpointRef> Checkpoints { get; init; } = [];

    /// <summary>Length of the metrics append blob when the newest checkpoint committed.</summary>
    public long MetricsLength { get; init; }

    /// <summary>Length of the CEM history append blob when the newest checkpoint committed (RoML runs).</summary>
    public long CemHistoryLength { get; init; }

    /// <summary>The silo that trains it now (or last did).</summary>
    public string? Silo { get; init; }

    /// <summary>How many times an activation started training it.</summary>
    public int Activations { get; init; }

    /// <summary>The committed iteration when an activation last started training it.</summary>
    public int StartIteration { get; init; }

    /// <summary>
    /// Starts in a row that found the previous activation gone without a word (the state still said
    /// running) and without an iteration committed since it started: its silo was killed or crashed
    /// while training it. At the silo's limit the run fails instead of taking down silo after silo.
    /// </summary>
    public int CrashedStarts { get; init; }

    public string? Error { get; init; }

    /// <summary>The test results, once the run completed.</summary>
    public RunSummary? Summary { get; init; }

    /// <summary>Names the write that produced this state (activation and sequence): tells a write that landed from one that did not when storage failed mid-call.</summary>
    public string WriteToken { get; init; } = "";

    public DateTimeOffset Created { get; init; }
    public DateTimeOffset Updated { get; init; }

    // Added later (kept last, so that states stored before them read with these null: not checked).

    /// <summary>The committed metric lines' digest (readers check the blob against it); null for runs that committed lines before it was kept.</summary>
    public LineDigest? MetricsDigest { get; init; }

    /// <summary>The committed CEM records' digest; null for runs that committed records before it was kept.</summary>
    public LineDigest? CemHistoryDigest { get; init; }

    /// <summary>SHA-256 (lowercase hex) of result.json as the run wrote it when it completed.</summary>
    public string? ResultSha256 { get; init; }

    public bool Ended => Status is RunStatus.Completed or RunStatus.Cancelled or RunStatus.Failed;
}
