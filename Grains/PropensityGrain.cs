using MetaRl.Grains.Interfaces;
using MetaRl.Grains.Interfaces.State;

namespace MetaRl.Grains;

/// <summary>MQL's propensity estimate for one task of a run (see Learning/Algorithms/Mql/PropensityEstimator); key "{runId}.{taskId}".</summary>
public sealed class PropensityGrain([PersistentState("propensity")] IPersistentState<PropensityState> state) : Grain, IPropensityGrain
{
    public Task<PropensityState?> GetAsync(CancellationToken cancellationToken) => Task.FromResult(state.RecordExists ? state.State : null);

    public async Task SaveAsync(PropensityState propensity, CancellationToken cancellationToken)
    {
        var key = this.GetPrimaryKeyString();
        if ($"{propensity.RunId}.{propensity.TaskId}" != key)
            throw new ArgumentException($"state of {propensity.RunId}.{propensity.TaskId} given to the propensity grain {key}", nameof(propensity));
        state.State = propensity;
        await state.WriteStateAsync(cancellationToken);
    }
}
