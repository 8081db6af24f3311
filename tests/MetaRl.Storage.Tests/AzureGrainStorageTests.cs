using MetaRl.Testing;

namespace MetaRl.Storage.Tests;

/// <summary>The grain storage contract on Azure Blob Storage (a real Azurite, one per class).</summary>
[TestClass]
public sealed class AzureGrainStorageTests : GrainStorageContract
{
    private static AzuriteProcess? s_azurite;

    [ClassInitialize]
    public static void StartAzurite(TestContext _) => s_azurite = AzuriteProcess.Start();

    [ClassCleanup]
    public static void StopAzurite() => s_azurite?.Dispose();

    protected override IBlobStore CreateStore(string container) => new AzureBlobStore(s_azurite!.ConnectionString, container);
}
