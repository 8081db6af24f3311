using MetaRl.Grains.Interfaces.State;

namespace MetaRl.Grains.Interfaces.Contracts;

/// <summary>MQL's propensity estimate for adapting to one task: classifier, ESS, λ, diagnostics.</summary>
public interface IPropensityGrain : IGrain
{
    Task<PropensityState?> GetAsync(CancellationToken cancellationToken);

    Task SaveAsync(PropensityState state, CancellationToken cancellationToken);
}
