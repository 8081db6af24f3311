using MetaRl.Storage;
using Microsoft.Extensions.Options;

namespace MetaRl.Grains.Hosting;

/// <summary>
/// Creates the data blob container (checkpoints, metrics, results) before a training silo takes
/// calls. A silo that only answers queries creates nothing at start; it writes a data blob only when
/// asked to store something (a submitted sweep's index entry, which creates the container then).
/// </summary>
public sealed class DataStoreInitializer(IBlobStore store, IOptions<TrainingOptions> options) : ILifecycleParticipant<ISiloLifecycle>
{
    public void Participate(ISiloLifecycle lifecycle) =>
        lifecycle.Subscribe(nameof(DataStoreInitializer), ServiceLifecycleStage.RuntimeInitialize,
            ct => options.Value.Enabled ? store.EnsureCreatedAsync(ct) : Task.CompletedTask, _ => Task.CompletedTask);
}
