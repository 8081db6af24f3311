using System.Text;
using MetaRl.Grains.Execution;
using MetaRl.Grains.Interfaces;
using MetaRl.Grains.Interfaces.State;
using MetaRl.Storage;

namespace MetaRl.Grains;

/// <summary>RoML's task distribution of a run, recorded by the run at each checkpoint, and its full update history (a blob).</summary>
public sealed class CemSamplerGrain(
    [PersistentState("cem")] IPersistentState<CemSamplerState> state,
    IBlobStore store) : Grain, ICemSamplerGrain
{
    public Task<CemSamplerState?> GetAsync(CancellationToken cancellationToken) => Task.FromResult(state.RecordExists ? state.State : null);

    public async Task<List<string>> HistoryAsync(CancellationToken cancellationToken)
    {
        var bytes = await store.ReadFromAsync(RunBlobs.CemHistory(this.GetPrimaryKeyString()), 0, cancellationToken);
        return bytes is null ? [] : Encoding.UTF8.GetString(bytes).Split('\n', StringSplitOptions.RemoveEmptyEntries).ToList();
    }

    public async Task RecordAsync(CemSamplerState cem, CancellationToken cancellationToken)
    {
        if (cem.RunId != this.GetPrimaryKeyString()) throw new ArgumentException($"CEM state of run '{cem.RunId}' given to the sampler of '{this.GetPrimaryKeyString()}'", nameof(cem));
        if (state.RecordExists && state.State.Iteration > cem.Iteration) return; // an older checkpoint's view arriving late
        state.State = cem;
        await state.WriteStateAsync(cancellationToken);
    }
}
