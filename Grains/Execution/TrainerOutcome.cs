namespace MetaRl.Grains.Execution;

/// <summary>How a <see cref="RunTrainer"/> ended.</summary>
public enum TrainerOutcome
{
    Completed,
    Paused,
    Cancelled,

    /// <summary>Stopped for deactivation or silo shutdown after a checkpoint; the run stays pending, another activation continues it.</summary>
    Released,

    /// <summary>The run itself failed (recorded in its state; not retried).</summary>
    Failed,

    /// <summary>Another activation wrote the run's state: this one stopped without writing anything more.</summary>
    Stale,

    /// <summary>Storage refused checkpoints for longer than the retry limit; the run stays pending.</summary>
    StorageFailed,
}
