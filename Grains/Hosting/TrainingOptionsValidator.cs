using Microsoft.Extensions.Options;

namespace MetaRl.Grains.Hosting;

/// <summary>Every problem of <see cref="TrainingOptions"/>, each naming its setting and what is allowed.</summary>
public sealed class TrainingOptionsValidator : IValidateOptions<TrainingOptions>
{
    public ValidateOptionsResult Validate(string? name, TrainingOptions o)
    {
        var e = new List<string>();
        string s = TrainingOptions.Section;
        if (o.CoreBudget < 0) e.Add($"{s}:CoreBudget {o.CoreBudget} is invalid; allowed: 0 (all cores) or more");
        if (o.Gpus < -1) e.Add($"{s}:Gpus {o.Gpus} is invalid; allowed: -1 (detect) or 0 or more");
        if (o.CheckpointInterval <= TimeSpan.Zero || o.CheckpointInterval > TimeSpan.FromDays(1)) e.Add($"{s}:CheckpointInterval {o.CheckpointInterval} is invalid; allowed: more than 0, at most 1.00:00:00");
        if (o.CheckpointEveryIterations < 0) e.Add($"{s}:CheckpointEveryIterations {o.CheckpointEveryIterations} is invalid; allowed: 0 (by time only) or more");
        if (o.KeepCheckpoints < 2) e.Add($"{s}:KeepCheckpoints {o.KeepCheckpoints} is invalid; allowed: 2 or more (a corrupt newest one falls back to the previous)");
        if (o.MemoryBytes < 0) e.Add($"{s}:MemoryBytes {o.MemoryBytes} is invalid; allowed: 0 (the machine's) or more");
        if (o.CrashedStartsLimit < 1) e.Add($"{s}:CrashedStartsLimit {o.CrashedStartsLimit} is invalid; allowed: 1 or more");
        if (o.TailTaskGrains < 0) e.Add($"{s}:TailTaskGrains {o.TailTaskGrains} is invalid; allowed: 0 or more");
        if (o.WatchdogPeriod < TimeSpan.FromSeconds(1) || o.WatchdogPeriod > TimeSpan.FromDays(1)) e.Add($"{s}:WatchdogPeriod {o.WatchdogPeriod} is invalid; allowed: 00:00:01–1.00:00:00");
        if (o.ShutdownTimeout < TimeSpan.FromSeconds(1) || o.ShutdownTimeout > TimeSpan.FromDays(1)) e.Add($"{s}:ShutdownTimeout {o.ShutdownTimeout} is invalid; allowed: 00:00:01–1.00:00:00");
        if (o.StorageRetryLimit <= TimeSpan.Zero || o.StorageRetryLimit > TimeSpan.FromDays(7)) e.Add($"{s}:StorageRetryLimit {o.StorageRetryLimit} is invalid; allowed: more than 0, at most 7.00:00:00");
        return e.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(e);
    }
}
