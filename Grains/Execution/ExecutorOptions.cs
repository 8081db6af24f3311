namespace MetaRl.Grains.Execution;

/// <summary>How a silo executes runs: lease timing (Durable Task / Event Hubs numbers) and checkpoint policy.</summary>
public sealed record ExecutorOptions
{
    public string SiloId { get; init; } = "";

    /// <summary>Lease on a run's state while it trains (Azure allows 15–60 s).</summary>
    public TimeSpan LeaseDuration { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Renewal period (a third of the lease).</summary>
    public TimeSpan LeaseRenewal { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Checkpoint every this many iterations (0: by time only).</summary>
    public int CheckpointEveryIterations { get; init; }

    /// <summary>Checkpoint when this much time passed since the last one (at an iteration boundary).</summary>
    public TimeSpan CheckpointInterval { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>How often the run's control blob (pause/cancel requests) is read.</summary>
    public TimeSpan ControlPoll { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>Committed checkpoints kept (older ones are deleted).</summary>
    public int KeepCheckpoints { get; init; } = 3;

    /// <summary>Test tasks of the selected model's worst tail recorded as task grains, at most.</summary>
    public int TailTaskGrains { get; init; } = 32;

    public IReadOnlyList<string> Validate()
    {
        var e = new List<string>();
        if (LeaseDuration < TimeSpan.FromSeconds(15) || LeaseDuration > TimeSpan.FromSeconds(60)) e.Add($"silo.leaseDuration {LeaseDuration.TotalSeconds} s is invalid; allowed: 15–60 s");
        if (LeaseRenewal <= TimeSpan.Zero || LeaseRenewal >= LeaseDuration) e.Add($"silo.leaseRenewal {LeaseRenewal.TotalSeconds} s is invalid; allowed: more than 0 and less than the lease duration");
        if (CheckpointEveryIterations < 0) e.Add($"silo.checkpointEveryIterations {CheckpointEveryIterations} is invalid; allowed: 0 (by time only) or more");
        if (CheckpointInterval <= TimeSpan.Zero) e.Add($"silo.checkpointInterval {CheckpointInterval.TotalSeconds} s is invalid; allowed: more than 0");
        if (KeepCheckpoints < 2) e.Add($"silo.keepCheckpoints {KeepCheckpoints} is invalid; allowed: 2 or more (a corrupt newest one falls back to the previous)");
        return e;
    }
}

/// <summary>How an execution of a run ended.</summary>
public enum RunOutcome
{
    /// <summary>Someone else holds it, or there is nothing to do.</summary>
    NotClaimed,

    Completed,

    /// <summary>Stopped for the silo's shutdown after a checkpoint; another silo continues it.</summary>
    Released,

    Paused,
    Cancelled,

    /// <summary>The lease was lost (another silo may own the run now); stopped without writing.</summary>
    LeaseLost,

    /// <summary>Storage failed after retries; the run stays runnable and is tried again later.</summary>
    StorageFailed,

    /// <summary>The run itself failed (recorded in its state; not retried).</summary>
    Failed,
}
