using MetaRl.Grains.Interfaces;
using MetaRl.Grains.Interfaces.Contracts;
using MetaRl.Storage;

namespace MetaRl.Grains;

/// <summary>
/// Gets grains by key, as Orleans' IGrainFactory does. A grain object is a cheap handle: each call
/// loads its state from storage, does one thing, and persists — so any process can address any grain.
/// </summary>
public sealed class GrainFactory(IBlobStore store)
{
    public IBlobStore Store { get; } = store;

    public ISweepGrain Sweep(string sweepId) => new SweepGrain(Store, Check("sweep", sweepId));
    public IMetaPolicyGrain Run(string runId) => new MetaPolicyGrain(Store, Check("run", runId));
    public ITaskGrain Task(string runId, string taskId) => new TaskGrain(Store, Check("task", $"{runId}.{taskId}"), runId, taskId);
    public ICemSamplerGrain Cem(string runId) => new CemSamplerGrain(Store, Check("cem", runId));
    public IPropensityGrain Propensity(string runId, string taskId) => new PropensityGrain(Store, Check("propensity", $"{runId}.{taskId}"), runId, taskId);

    private static GrainKey Check(string kind, string id) => GrainKey.Parse($"{kind}/{id}");
}
