namespace MetaRl.Storage.Tests;

[TestClass]
public sealed class BlobStoreFactoryTests
{
    [TestMethod]
    public void Local_options_make_a_file_store_in_the_container_folder()
    {
        var root = Path.Combine(Path.GetTempPath(), "metarl-factory");
        var store = BlobStoreFactory.Create(new StorageOptions { LocalPath = root, Container = "runs" });
        Assert.IsInstanceOfType<FileBlobStore>(store);
        Assert.AreEqual(new Uri(Path.Combine(root, "runs")).AbsoluteUri, store.Location);
    }

    [TestMethod]
    public void Azure_options_make_an_Azure_store_without_contacting_the_service()
    {
        const string cs = "DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;BlobEndpoint=http://127.0.0.1:1/devstoreaccount1;";
        var store = BlobStoreFactory.Create(new StorageOptions { Provider = "azure", ConnectionString = cs, Container = "runs" });
        Assert.IsInstanceOfType<AzureBlobStore>(store);
        Assert.AreEqual("http://127.0.0.1:1/devstoreaccount1/runs", store.Location);
    }

    [TestMethod]
    public void Invalid_options_throw_an_ArgumentException_listing_every_problem()
    {
        var e = Assert.ThrowsExactly<ArgumentException>(() => BlobStoreFactory.Create(new StorageOptions { Provider = "s3", Container = "No_Such" }));
        StringAssert.Contains(e.Message, "'s3'");
        StringAssert.Contains(e.Message, "'No_Such'");
        var azure = Assert.ThrowsExactly<ArgumentException>(() => BlobStoreFactory.Create(new StorageOptions { Provider = "azure" }));
        StringAssert.Contains(azure.Message, "connection string");
    }

    [TestMethod]
    public void A_malformed_connection_string_is_an_ArgumentException()
    {
        Assert.ThrowsExactly<ArgumentException>(() => AzureBlobStore.Create(new StorageOptions { Provider = "azure", ConnectionString = "not a connection string" }));
    }
}
