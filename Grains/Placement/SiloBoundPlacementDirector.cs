using MetaRl.Grains.Interfaces;
using Orleans.Runtime.Placement;

namespace MetaRl.Grains.Placement;

/// <summary>The silo named by the grain's key; refused when that silo is not an active member.</summary>
public sealed class SiloBoundPlacementDirector : IPlacementDirector
{
    public Task<SiloAddress> OnAddActivation(PlacementStrategy strategy, PlacementTarget target, IPlacementContext context)
    {
        var key = target.GrainIdentity.Key.ToString()!;
        SiloAddress silo;
        try
        {
            silo = SiloAddress.FromParsableString(key);
        }
        catch (FormatException)
        {
            throw new OrleansException($"'{key}' is not a silo address");
        }
        if (!context.GetCompatibleSilos(target).Contains(silo)) throw new SiloNotActiveException(silo.ToString());
        return Task.FromResult(silo);
    }
}
