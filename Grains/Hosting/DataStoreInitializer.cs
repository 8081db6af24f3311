using MetaRl.Storage;
using Microsoft.Extensions.Options;

namespace MetaRl.Grains.Hosting;

/// <summary>
/// Creates the data blob container (checkpoints, metrics, results) before a training silo takes
/// calls. A silo that only answers queries writes no data blobs, and creates nothing.
/// </summary>
public sealed class DataStoreInitializer(IBlobStore store, IOptions<TrainingOptions> options) : ILifecycleParticipant<ISiloLifecycle>
{
    public void Participate(ISiloLifecycle lifecycle) =>
        lifecycle.Subscribe(nameof(DataStoreInitializer), ServiceLifecycleStage.RuntimeInitialize,
            ct => options.Value.Enabled ? store.EnsureCreatedAsync(ct) : Task.CompletedTask, _ => Task.CompletedTask);
}
