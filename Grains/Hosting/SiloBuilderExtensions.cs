using System.Net;
using System.Text.Json;
using System.Text.Json.Serialization;
using Azure.Data.Tables;
using Azure.Storage.Blobs;
using MetaRl.Grains.Capacity;
using MetaRl.Grains.Failover;
using MetaRl.Grains.Placement;
using MetaRl.Storage;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using Orleans.Serialization;

namespace MetaRl.Grains.Hosting;

/// <summary>How every MetaRl silo is put together: `metarl-silo`, the console's embedded silo and the test clusters.</summary>
public static class SiloBuilderExtensions
{
    /// <summary>
    /// The grains' services: training options (validated at start), this silo's training slots, the
    /// capacity view and placement directors, the failover watcher, grain state as camelCase JSON,
    /// and the data blob store (checkpoints, metrics, CEM history, results).
    /// </summary>
    public static ISiloBuilder AddMetaRlGrains(this ISiloBuilder silo, IConfiguration configuration, Func<IServiceProvider, IBlobStore> blobStore)
    {
        var services = silo.Services;
        services.AddOptions<TrainingOptions>().Bind(configuration.GetSection(TrainingOptions.Section)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<TrainingOptions>, TrainingOptionsValidator>();
        services.AddSingleton(blobStore);
        services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>, DataStoreInitializer>();
        services.AddSingleton<TrainingSlots>();
        services.AddSingleton<ClusterCapacity>();
        services.AddPlacementDirector<TrainingPlacement, TrainingPlacementDirector>();
        services.AddPlacementDirector<SiloBoundPlacement, SiloBoundPlacementDirector>();
        services.AddSingleton<FailoverWatcher>();
        services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>>(sp => sp.GetRequiredService<FailoverWatcher>());

        silo.UseSystemTextJsonGrainStorageSerializer();
        services.Configure<SystemTextJsonGrainStorageSerializerOptions>(o =>
        {
            o.JsonSerializerOptions.PropertyNamingPolicy = JsonNamingPolicy.CamelCase;
            o.JsonSerializerOptions.NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals;
            o.JsonSerializerOptions.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.CamelCase));
        });

        var training = configuration.GetSection(TrainingOptions.Section).Get<TrainingOptions>() ?? new TrainingOptions();
        // A run finishes its iteration and checkpoints before its activation lets go; iterations can take minutes.
        services.Configure<GrainCollectionOptions>(o => o.DeactivationTimeout = TimeSpan.FromMinutes(10));
        services.Configure<ReminderOptions>(o =>
        {
            if (training.WatchdogPeriod < o.MinimumReminderPeriod) o.MinimumReminderPeriod = training.WatchdogPeriod;
        });
        silo.AddActivityPropagation();
        return silo;
    }

    /// <summary>
    /// Clustering, grain storage and reminders for the storage provider. local: one silo on
    /// localhost, grain state in the local folder, reminders in memory (the embedded mode). azure:
    /// membership and reminders in Azure Table storage, grain state in Azure Blob storage (Azurite
    /// in development), any number of silos.
    /// </summary>
    public static ISiloBuilder UseMetaRlCluster(this ISiloBuilder silo, StorageOptions storage, SiloHostingOptions hosting)
    {
        silo.Configure<SiloOptions>(o => o.SiloName = hosting.SiloName);
        silo.Configure<ClusterMembershipOptions>(o =>
        {
            o.ProbeTimeout = hosting.ProbeTimeout;
            o.NumMissedProbesLimit = hosting.MissedProbesLimit;
            o.IAmAliveTablePublishTimeout = hosting.IAmAlivePeriod;
            o.NumMissedTableIAmAliveLimit = 2;
        });
        if (storage.Provider == StorageOptions.LocalProvider)
        {
            silo.UseLocalhostClustering(hosting.SiloPort, hosting.GatewayPort, serviceId: hosting.ServiceId, clusterId: hosting.ClusterId);
            silo.AddLocalFolderGrainStorageAsDefault(storage.LocalPath);
            silo.UseInMemoryReminderService();
            return silo;
        }
        silo.Configure<ClusterOptions>(o =>
        {
            o.ClusterId = hosting.ClusterId;
            o.ServiceId = hosting.ServiceId;
        });
        silo.ConfigureEndpoints(IPAddress.Parse(hosting.AdvertisedIP), hosting.SiloPort, hosting.GatewayPort, listenOnAnyHostAddress: false);
        silo.UseAzureStorageClustering(o => o.TableServiceClient = new TableServiceClient(storage.ConnectionString));
        silo.AddAzureBlobGrainStorageAsDefault(o => o.BlobServiceClient = new BlobServiceClient(storage.ConnectionString));
        silo.UseAzureTableReminderService(o => o.TableServiceClient = new TableServiceClient(storage.ConnectionString));
        // Orleans' strongly consistent directory: when a silo dies, the new owners of its directory ranges
        // rebuild them from the survivors' activations, so runs training on the survivors keep their
        // activations (the default directory deactivated every grain whose registration the dead silo held).
#pragma warning disable ORLEANSEXP003 // evaluation API in Orleans 10.4
        silo.AddDistributedGrainDirectory();
#pragma warning restore ORLEANSEXP003
        return silo;
    }
}
