using Orleans;
using Orleans.Runtime;

namespace MetaRl.Storage.Tests;

/// <summary>A grain with persistent state on the default provider: what the silo test drives.</summary>
public sealed class CounterGrain([PersistentState("counter")] IPersistentState<CounterGrain.State> counter) : Grain, ICounterGrain
{
    public sealed class State
    {
        public int Value { get; set; }
    }

    public async Task<int> IncrementAsync()
    {
        counter.State.Value++;
        await counter.WriteStateAsync();
        return counter.State.Value;
    }

    public Task<int> GetAsync() => Task.FromResult(counter.State.Value);
}
