using System.Text;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Specialized;
using MetaRl.Testing;

namespace MetaRl.Storage.Tests;

/// <summary>The contract on a real Azurite (one per class, a container per test), and outages.</summary>
[TestClass]
public sealed class AzureBlobStoreContractTests : BlobStoreContract
{
    private static AzuriteProcess? s_azurite;

    [ClassInitialize]
    public static void StartAzurite(TestContext _) => s_azurite = AzuriteProcess.Start();

    [ClassCleanup]
    public static void StopAzurite() => s_azurite?.Dispose();

    protected override IBlobStore CreateStore(string container) => new AzureBlobStore(s_azurite!.ConnectionString, container);

    [TestMethod]
    public async Task During_an_outage_writes_fail_after_the_retries_or_ride_it_out_and_after_a_restart_the_data_is_there()
    {
        var impatient = new AzureBlobStore(s_azurite!.ConnectionString, Container, AzureBlobStore.CreateClientOptions(
            maxRetries: 2, delay: TimeSpan.FromSeconds(0.1), maxDelay: TimeSpan.FromSeconds(0.3), networkTimeout: TimeSpan.FromSeconds(3)));
        var before = await Store.WriteAsync("runs/r1/state.json", Encoding.UTF8.GetBytes("before"), WriteCondition.None, Ct);
        // Azurite saves its metadata every 5 s: a SIGKILL sooner may lose acknowledged writes (PLATFORM.md).
        await Task.Delay(TimeSpan.FromSeconds(6), Ct);

        s_azurite.Stop();
        Task<string> patientWrite;
        try
        {
            var e = await Assert.ThrowsExactlyAsync<BlobStoreException>(() =>
                impatient.WriteAsync("runs/r1/state.json", Encoding.UTF8.GetBytes("during"), WriteCondition.None, Ct));
            Assert.AreEqual(0, e.Status, e.Message);
            await Assert.ThrowsExactlyAsync<BlobStoreException>(() => impatient.ReadAsync("runs/r1/state.json", Ct));

            // The default policy retries for about 11 s: long enough to ride out a short outage.
            patientWrite = Store.WriteAsync("runs/r1/during.json", Encoding.UTF8.GetBytes("during"), WriteCondition.None, Ct);
            await Task.Delay(TimeSpan.FromSeconds(1), Ct);
        }
        finally
        {
            s_azurite.Restart();
        }
        await patientWrite;

        var read = await impatient.ReadAsync("runs/r1/state.json", Ct);
        Assert.IsNotNull(read);
        Assert.AreEqual("before", Encoding.UTF8.GetString(read.Content));
        Assert.AreEqual(before, read.ETag);
        Assert.AreEqual("during", await ReadTextAsync("runs/r1/during.json"));
        await impatient.WriteAsync("runs/r1/state.json", Encoding.UTF8.GetBytes("after"), WriteCondition.Match(before), Ct);
        Assert.AreEqual("after", await ReadTextAsync("runs/r1/state.json"));
    }

    /// <summary>
    /// The store takes no leases, but another client may: its lease must not read as a failed ETag
    /// condition, or an optimistic-concurrency loop would re-read and retry forever.
    /// </summary>
    [TestMethod]
    public async Task A_blob_leased_by_another_client_refuses_writes_with_a_storage_error_that_is_not_a_condition_failure()
    {
        await Store.WriteAsync("doc", Bytes("v1"), WriteCondition.None, Ct);
        var blob = new BlobContainerClient(s_azurite!.ConnectionString, Container).GetBlobClient("doc");
        await blob.GetBlobLeaseClient().AcquireAsync(TimeSpan.FromSeconds(15), cancellationToken: Ct);

        var e = await Assert.ThrowsExactlyAsync<BlobStoreException>(() => Store.WriteAsync("doc", Bytes("v2"), WriteCondition.None, Ct));
        Assert.AreEqual(412, e.Status);
        StringAssert.Contains(e.Message, "LeaseIdMissing");
        Assert.AreEqual("v1", await ReadTextAsync("doc"));
    }

    [TestMethod]
    public void Location_is_the_container_URL()
    {
        Assert.AreEqual($"http://127.0.0.1:{s_azurite!.BlobPort}/devstoreaccount1/{Container}", Store.Location);
    }
}
