using MetaRl.Grains.Interfaces.State;

namespace MetaRl.Grains.Interfaces;

/// <summary>MQL's propensity estimate for adapting to one task, keyed "{runId}.{taskId}": classifier, ESS, λ, diagnostics.</summary>
[Alias("metarl.IPropensityGrain")]
public interface IPropensityGrain : IGrainWithStringKey
{
    [Alias("Get")]
    Task<PropensityState?> GetAsync(CancellationToken cancellationToken = default);

    [Alias("Save")]
    Task SaveAsync(PropensityState state, CancellationToken cancellationToken = default);
}
