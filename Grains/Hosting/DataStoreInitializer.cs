using MetaRl.Storage;

namespace MetaRl.Grains.Hosting;

/// <summary>Creates the data blob container (checkpoints, metrics, results) before the silo takes calls.</summary>
public sealed class DataStoreInitializer(IBlobStore store) : ILifecycleParticipant<ISiloLifecycle>
{
    public void Participate(ISiloLifecycle lifecycle) =>
        lifecycle.Subscribe(nameof(DataStoreInitializer), ServiceLifecycleStage.RuntimeInitialize, store.EnsureCreatedAsync, _ => Task.CompletedTask);
}
