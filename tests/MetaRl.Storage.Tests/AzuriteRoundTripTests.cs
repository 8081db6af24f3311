using Azure;
using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using MetaRl.Testing;

namespace MetaRl.Storage.Tests;

[TestClass]
public sealed class AzuriteRoundTripTests
{
    private static AzuriteProcess? s_azurite;

    [ClassInitialize]
    public static void StartAzurite(TestContext _) => s_azurite = AzuriteProcess.Start();

    [ClassCleanup]
    public static void StopAzurite() => s_azurite?.Dispose();

    [TestMethod]
    public async Task Blob_round_trips_and_a_stale_ETag_write_is_rejected_with_412()
    {
        var service = new BlobServiceClient(s_azurite!.ConnectionString);
        var container = service.GetBlobContainerClient("roundtrip");
        await container.CreateIfNotExistsAsync();
        var blob = container.GetBlobClient("runs/r1/state.json");

        var first = await blob.UploadAsync(BinaryData.FromString("{\"iteration\":1}"), overwrite: true);
        var read = await blob.DownloadContentAsync();
        Assert.AreEqual("{\"iteration\":1}", read.Value.Content.ToString());
        Assert.AreEqual(first.Value.ETag, read.Value.Details.ETag);

        // A writer holding the current ETag wins...
        var second = await blob.UploadAsync(BinaryData.FromString("{\"iteration\":2}"),
            new BlobUploadOptions { Conditions = new BlobRequestConditions { IfMatch = first.Value.ETag } });
        Assert.AreNotEqual(first.Value.ETag, second.Value.ETag);

        // ...and a writer still holding the old one is refused: the optimistic-concurrency guard.
        var e = await Assert.ThrowsExactlyAsync<RequestFailedException>(() =>
            blob.UploadAsync(BinaryData.FromString("{\"iteration\":99}"),
                new BlobUploadOptions { Conditions = new BlobRequestConditions { IfMatch = first.Value.ETag } }));
        Assert.AreEqual(412, e.Status);
        Assert.AreEqual("{\"iteration\":2}", (await blob.DownloadContentAsync()).Value.Content.ToString());
    }

    [TestMethod]
    public async Task Doctor_probe_reports_Azurite_reachable_and_a_dead_endpoint_unreachable()
    {
        var up = await StorageProbe.CheckAsync(new StorageOptions { Provider = "azure", ConnectionString = s_azurite!.ConnectionString }, CancellationToken.None);
        Assert.IsTrue(up.Reachable, up.Detail);
        var deadPort = FreePort.Pick();
        var dead = s_azurite.ConnectionString.Replace($":{s_azurite.BlobPort}/", $":{deadPort}/", StringComparison.Ordinal);
        var down = await StorageProbe.CheckAsync(new StorageOptions { Provider = "azure", ConnectionString = dead }, CancellationToken.None);
        Assert.IsFalse(down.Reachable, down.Detail);
    }

    [TestMethod]
    public async Task Table_service_answers_on_its_own_port_and_keeps_entities_across_a_graceful_restart()
    {
        var azurite = s_azurite!;
        Assert.AreNotEqual(azurite.BlobPort, azurite.TablePort);
        StringAssert.Contains(azurite.ConnectionString, $"TableEndpoint=http://127.0.0.1:{azurite.TablePort}/devstoreaccount1;");
        var table = new TableServiceClient(azurite.ConnectionString).GetTableClient("roundtrip");
        await table.CreateIfNotExistsAsync();
        await table.AddEntityAsync(new TableEntity("silo", "s1") { ["Status"] = "Active" });

        azurite.StopGracefully();
        Assert.IsFalse(FreePort.IsListening(azurite.TablePort));
        azurite.Restart();

        var entity = await table.GetEntityAsync<TableEntity>("silo", "s1");
        Assert.AreEqual("Active", entity.Value.GetString("Status"));
    }
}
