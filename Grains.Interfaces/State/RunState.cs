namespace MetaRl.Grains.Interfaces.State;

/// <summary>Where a run is in its life.</summary>
public enum RunStatus
{
    /// <summary>Waiting for a silo (never started, or its owner lost it).</summary>
    Pending,

    /// <summary>A silo holds its lease and trains it.</summary>
    Running,

    Paused,
    Completed,
    Cancelled,

    /// <summary>It failed in a way that retrying cannot fix (the error is recorded).</summary>
    Failed,
}

/// <summary>
/// The meta-policy grain's state (one training run). Everything it reports is durable: the
/// iteration is that of the last committed checkpoint, and the metrics blob holds exactly the lines
/// of the committed iterations.
/// </summary>
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

    /// <summary>Iterations committed (= the last checkpoint's iteration).</summary>
    public int Iteration { get; init; }

    public long EnvironmentSteps { get; init; }

    /// <summary>The last committed checkpoint's iteration (-1: none yet).</summary>
    public int Checkpoint { get; init; } = -1;

    /// <summary>Committed checkpoints, oldest first (a corrupt one is skipped for its predecessor).</summary>
    public List<int> Checkpoints { get; init; } = [];

    /// <summary>Length of the metrics append blob when the last checkpoint committed.</summary>
    public long MetricsLength { get; init; }

    /// <summary>Length of the CEM history append blob when the last checkpoint committed (RoML runs).</summary>
    public long CemHistoryLength { get; init; }

    public string? Owner { get; init; }
    public DateTimeOffset? OwnerSince { get; init; }
    public int Activations { get; init; }
    public string? Error { get; init; }
    public DateTimeOffset Updated { get; init; }
}

/// <summary>What users ask of a run (a separate blob: the run's state is leased by its silo).</summary>
public sealed record RunControl(RunDesire Desired, DateTimeOffset Requested);

public enum RunDesire
{
    Run,
    Pause,
    Cancel,
}
