using Microsoft.Extensions.DependencyInjection;
using Orleans.Hosting;
using Orleans.Providers;
using Orleans.Runtime.Hosting;
using Orleans.Serialization.Serializers;
using Orleans.Storage;

namespace MetaRl.Storage;

/// <summary>
/// Registers <see cref="BlobGrainStorage"/> as a named Orleans grain storage provider. Registration
/// goes through Orleans' own <c>AddGrainStorage</c>, as its providers do: a keyed
/// <see cref="IGrainStorage"/> singleton under the name and, for
/// <see cref="ProviderConstants.DEFAULT_STORAGE_PROVIDER_NAME"/>, also the unkeyed one that grains
/// without a named provider get.
/// </summary>
public static class BlobGrainStorageSiloBuilderExtensions
{
    /// <summary>The local-folder provider's default container (a subfolder of the root folder).</summary>
    public const string DefaultContainer = "grainstate";

    /// <summary>
    /// Grain storage <paramref name="name"/> in the folder <c>{rootFolder}/{container}</c> on this
    /// machine (a <see cref="FileBlobStore"/>: atomic replace, conditional writes that hold across
    /// processes). The folder is created on the first write.
    /// </summary>
    /// <exception cref="ArgumentException">The folder or container name is not valid (checked here, not at the first write).</exception>
    public static ISiloBuilder AddLocalFolderGrainStorage(this ISiloBuilder builder, string name, string rootFolder, string container = DefaultContainer)
    {
        // Built now so that a bad folder or container name fails the configuration, not a grain's first write.
        var store = new FileBlobStore(rootFolder, container);
        return builder.AddBlobGrainStorage(name, _ => store);
    }

    /// <summary><see cref="AddLocalFolderGrainStorage"/> as the default provider ("Default").</summary>
    public static ISiloBuilder AddLocalFolderGrainStorageAsDefault(this ISiloBuilder builder, string rootFolder, string container = DefaultContainer) =>
        builder.AddLocalFolderGrainStorage(ProviderConstants.DEFAULT_STORAGE_PROVIDER_NAME, rootFolder, container);

    /// <summary>
    /// Grain storage <paramref name="name"/> on the store <paramref name="createStore"/> makes (once,
    /// when the provider is first resolved). State is serialized with the
    /// <see cref="IGrainStorageSerializer"/> registered under <paramref name="name"/> if there is one,
    /// else the silo's default, the same rule as Orleans' providers.
    /// </summary>
    public static ISiloBuilder AddBlobGrainStorage(this ISiloBuilder builder, string name, Func<IServiceProvider, IBlobStore> createStore)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(createStore);
        builder.Services.AddGrainStorage(name, (services, key) => new BlobGrainStorage(
            createStore(services),
            services.GetKeyedService<IGrainStorageSerializer>(key) ?? services.GetRequiredService<IGrainStorageSerializer>(),
            services.GetRequiredService<IActivatorProvider>()));
        return builder;
    }
}
