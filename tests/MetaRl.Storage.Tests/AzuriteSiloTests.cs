using System.Net;
using Azure.Data.Tables;
using MetaRl.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Orleans;
using Orleans.Clustering.AzureStorage;
using Orleans.Configuration;
using Orleans.Hosting;

namespace MetaRl.Storage.Tests;

/// <summary>The Azure mode end to end on one Azurite: Orleans clusters through its table service and keeps grain state in its blob service.</summary>
[TestClass]
public sealed class AzuriteSiloTests
{
    public TestContext TestContext { get; set; } = null!;

    [TestMethod]
    public async Task A_silo_clusters_through_the_table_service_and_keeps_grain_state_in_the_blob_service()
    {
        using var azurite = AzuriteProcess.Start();
        var clusterId = $"test-{Guid.NewGuid():N}";
        var builder = Host.CreateApplicationBuilder();
        builder.UseOrleans(silo => silo
            .UseAzureStorageClustering((AzureStorageClusteringOptions o) => o.TableServiceClient = new TableServiceClient(azurite.ConnectionString))
            .Configure<ClusterOptions>(o =>
            {
                o.ClusterId = clusterId;
                o.ServiceId = "metarl-storage-tests";
            })
            .ConfigureEndpoints(IPAddress.Loopback, FreePort.Pick(), FreePort.Pick())
            .UseSystemTextJsonGrainStorageSerializer()
            .AddBlobGrainStorage("Default", _ => new AzureBlobStore(azurite.ConnectionString, "grainstate")));
        using var host = builder.Build();
        await host.StartAsync(TestContext.CancellationToken);
        try
        {
            var counter = host.Services.GetRequiredService<IGrainFactory>().GetGrain<ICounterGrain>("r1");
            Assert.AreEqual(1, await counter.IncrementAsync());

            var blob = await new AzureBlobStore(azurite.ConnectionString, "grainstate")
                .ReadAsync(GrainStatePaths.Of("counter", counter.GetGrainId()), TestContext.CancellationToken);
            Assert.IsNotNull(blob);
            Assert.AreEqual("{\"Value\":1}", System.Text.Encoding.UTF8.GetString(blob.Content));

            var members = new TableServiceClient(azurite.ConnectionString).GetTableClient(AzureStorageClusteringOptions.DEFAULT_TABLE_NAME);
            var rows = new List<TableEntity>();
            await foreach (var row in members.QueryAsync<TableEntity>(cancellationToken: TestContext.CancellationToken))
            {
                if (row.PartitionKey.Contains(clusterId, StringComparison.Ordinal)) rows.Add(row);
            }
            Assert.IsNotEmpty(rows, "the silo registered in the membership table");
        }
        finally
        {
            await host.StopAsync(CancellationToken.None);
        }
    }
}
