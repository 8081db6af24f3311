using System.Diagnostics;
using MetaRl.Grains.Capacity;
using MetaRl.Grains.Interfaces;
using MetaRl.Grains.Interfaces.State;
using MetaRl.Grains.Placement;

namespace MetaRl.Grains;

/// <summary>A silo describing itself (always activated on that silo): capabilities, core budget, runs training and waiting.</summary>
[SiloBoundPlacement]
public sealed class SiloGrain(TrainingSlots slots, ILocalSiloDetails silo) : Grain, ISiloGrain
{
    private static readonly DateTimeOffset Started = Process.GetCurrentProcess().StartTime.ToUniversalTime();

    public Task<SiloView> GetAsync(CancellationToken cancellationToken)
    {
        var (training, waiting, waitingCores, coresInUse, peak) = slots.Snapshot();
        return Task.FromResult(new SiloView
        {
            Address = silo.SiloAddress.ToParsableString(),
            Name = silo.Name,
            Host = Environment.MachineName,
            ProcessId = Environment.ProcessId,
            Cores = Environment.ProcessorCount,
            CoreBudget = slots.CoreBudget,
            CoresInUse = coresInUse,
            PeakCoresInUse = peak,
            WaitingCores = waitingCores,
            Gpus = slots.Gpus,
            Trains = slots.Enabled,
            MemoryBytes = slots.MemoryBytes,
            Training = training,
            Waiting = waiting,
            Started = Started,
        });
    }
}
