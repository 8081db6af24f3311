namespace MetaRl.Storage.Tests;

/// <summary>The grain storage contract on the local folder store, the embedded default.</summary>
[TestClass]
public sealed class FileGrainStorageTests : GrainStorageContract
{
    private static string s_root = "";

    [ClassInitialize]
    public static void CreateRoot(TestContext _)
    {
        s_root = Path.Combine(Path.GetTempPath(), $"metarl-grainstate-{Guid.NewGuid():N}");
        Directory.CreateDirectory(s_root);
    }

    [ClassCleanup]
    public static void DeleteRoot()
    {
        try
        {
            Directory.Delete(s_root, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    protected override IBlobStore CreateStore(string container) => new FileBlobStore(s_root, container);
}
