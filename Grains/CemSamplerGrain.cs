using MetaRl.Grains.Interfaces;
using MetaRl.Grains.Interfaces.State;

namespace MetaRl.Grains;

/// <summary>RoML's task distribution of a run, recorded by the run at each checkpoint, and its full update history (a blob).</summary>
public sealed class CemSamplerGrain(
    [PersistentState("cem")] IPersistentState<CemSamplerState> state) : Grain, ICemSamplerGrain
{
    public Task<CemSamplerState?> GetAsync(CancellationToken cancellationToken) => Task.FromResult(state.RecordExists ? state.State : null);

    /// <summary>The run keeps the history's committed length and digest: it reads and checks the blob.</summary>
    public Task<StoredLines> HistoryAsync(CancellationToken cancellationToken) =>
        GrainFactory.GetGrain<IMetaPolicyGrain>(this.GetPrimaryKeyString()).CemHistoryAsync(cancellationToken);

    public async Task RecordAsync(CemSamplerState cem, CancellationToken cancellationToken)
    {
        if (cem.RunId != this.GetPrimaryKeyString()) throw new ArgumentException($"CEM state of run '{cem.RunId}' given to the sampler of '{this.GetPrimaryKeyString()}'", nameof(cem));
        if (state.RecordExists && state.State.Iteration > cem.Iteration) return; // an older checkpoint's view arriving late
        state.State = cem;
        await state.WriteStateAsync(cancellationToken);
    }
}
