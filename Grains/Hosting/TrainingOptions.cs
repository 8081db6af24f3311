using MetaRl.Learning.Common;

namespace MetaRl.Grains.Hosting;

/// <summary>
/// How a silo trains runs (configuration section "Silo": appsettings.json, METARL_SILO__COREBUDGET=2,
/// --Silo:CoreBudget=2). Validated at start (<see cref="TrainingOptionsValidator"/>).
/// </summary>
public sealed class TrainingOptions
{
    public const string Section = "Silo";

    /// <summary>Whether this silo trains runs at all (the console's read-only embedded silo does not).</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>
    /// Train only the runs of this sweep (null: any). `metarl sweep run` sets it for its embedded
    /// silo: a run of another sweep in the same folder, activated by a query, answers but does not train.
    /// </summary>
    public string? OnlySweep { get; set; }

    /// <summary>Cores this silo's runs may use at once (0: all of the machine's).</summary>
    public int CoreBudget { get; set; }

    /// <summary>GPUs this silo offers (−1: as many as libtorch sees).</summary>
    public int Gpus { get; set; } = -1;

    /// <summary>Checkpoint when this much time passed since the last one (at an iteration boundary).</summary>
    public TimeSpan CheckpointInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Also checkpoint every this many iterations (0: by time only).</summary>
    public int CheckpointEveryIterations { get; set; }

    /// <summary>Committed checkpoints kept (older ones are deleted).</summary>
    public int KeepCheckpoints { get; set; } = 3;

    /// <summary>Test tasks of the selected model's worst tail recorded as task grains, at most.</summary>
    public int TailTaskGrains { get; set; } = 32;

    /// <summary>Period of each unfinished sweep's reminder that wakes runs whose silo went away (failover's durable backstop).</summary>
    public TimeSpan WatchdogPeriod { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>How long a run keeps retrying a checkpoint that storage refuses before it lets go (the watchdog restarts it later).</summary>
    public TimeSpan StorageRetryLimit { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>
    /// A run whose silos died this many times in a row while training it, each time before it committed
    /// an iteration (the kernel's out-of-memory killer, a native crash), fails with that reason
    /// instead of being resumed on the next silo (`metarl run resume` tries it again).
    /// </summary>
    public int CrashedStartsLimit { get; set; } = 3;

    /// <summary>How long a stopping silo (metarl-silo) waits for its runs to finish their iteration and checkpoint.</summary>
    public TimeSpan ShutdownTimeout { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Memory this silo offers its runs, in bytes (0: the machine's, as .NET sees it — a container's limit included).</summary>
    public long MemoryBytes { get; set; }

    public long EffectiveMemoryBytes => MemoryBytes > 0 ? MemoryBytes : Learning.Training.MemoryFloor.ThisMachine;

    public int EffectiveCoreBudget => CoreBudget > 0 ? CoreBudget : Environment.ProcessorCount;
    public int EffectiveGpus => Gpus >= 0 ? Gpus : (TorchRuntime.CudaAvailable ? 1 : 0);
}
