using Orleans.Runtime.Placement;

namespace MetaRl.Grains.Placement;

/// <summary>
/// Decides where a run's activation goes: a placement hint first (migration), then, among the silos
/// that train (and have a GPU when the run needs one, and at least its memory floor), the least loaded one by
/// <see cref="ClusterCapacity"/>'s view, counting the activations this silo placed moments ago that
/// the view does not show yet.
/// </summary>
public sealed class TrainingPlacementDirector(ClusterCapacity capacity) : IPlacementDirector
{
    public async Task<SiloAddress> OnAddActivation(PlacementStrategy strategy, PlacementTarget target, IPlacementContext context)
    {
        var compatible = context.GetCompatibleSilos(target);
        if (IPlacementDirector.GetPlacementHint(target.RequestContextData, compatible) is { } hint) return hint;
        var data = target.RequestContextData;
        bool gpu = data is not null && data.TryGetValue(TrainingPlacement.GpuKey, out var g) && g is true;
        int cores = data is not null && data.TryGetValue(TrainingPlacement.CoresKey, out var c) && c is int n && n > 0 ? n : 1;
        long memory = data is not null && data.TryGetValue(TrainingPlacement.MemoryKey, out var m) && m is long bytes ? bytes : 0;

        var views = await capacity.GetAsync(compatible, TimeSpan.FromSeconds(1));
        var trainers = views.Where(v => v.View.Trains && v.View.MemoryBytes >= memory).ToList();
        if (trainers.Count == 0) trainers = views.Where(v => v.View.Trains).ToList(); // none large enough: it waits there for one (needs-memory)
        var candidates = trainers.Where(v => !gpu || v.View.Gpus > 0).ToList();
        if (candidates.Count == 0) candidates = trainers;
        if (candidates.Count == 0) return compatible[Random.Shared.Next(compatible.Length)];

        return capacity.PickAndReserve(candidates, target.GrainIdentity.Key.ToString()!, cores);
    }
}
