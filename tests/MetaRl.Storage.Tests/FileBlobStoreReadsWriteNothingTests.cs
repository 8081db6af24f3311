using System.Text;
using MetaRl.Testing;

namespace MetaRl.Storage.Tests;

/// <summary>
/// The local store's reads change nothing on disk — not the content, not the sidecar records, lock
/// files or folders — even where a record no longer describes its content, and even where there are
/// no sidecars at all; a blob the operating system will not read is named as unreadable.
/// </summary>
[TestClass]
public sealed class FileBlobStoreReadsWriteNothingTests
{
    public TestContext TestContext { get; set; } = null!;

    private CancellationToken Ct => TestContext.CancellationToken;

    private static async Task<FileBlobStore> NewStoreAsync(string root, CancellationToken ct)
    {
        var store = new FileBlobStore(root, "data");
        await store.EnsureCreatedAsync(ct);
        return store;
    }

    private static string NewRoot() => Directory.CreateTempSubdirectory("metarl-readonly-").FullName;

    /// <summary>Every way to read a blob, and the ETags they report.</summary>
    private async Task<List<string>> ReadEverythingAsync(IBlobStore store)
    {
        var etags = new List<string>();
        foreach (var path in new[] { "doc", "runs/r1/metrics" })
        {
            etags.Add((await store.ReadAsync(path, Ct))!.ETag);
            etags.Add((await store.GetPropertiesAsync(path, Ct))!.ETag);
            Assert.IsNotNull(await store.ReadFromAsync(path, 1, Ct));
        }
        await foreach (var item in store.ListAsync("", Ct)) etags.Add(item.ETag);
        return etags;
    }

    [TestMethod]
    public async Task Reads_of_content_rewritten_behind_the_stores_back_write_nothing_and_agree_on_a_fresh_ETag()
    {
        var root = NewRoot();
        var store = await NewStoreAsync(root, Ct);
        var first = await store.WriteAsync("doc", Encoding.UTF8.GetBytes("v1"), WriteCondition.None, Ct);
        await store.AppendAsync("runs/r1/metrics", Encoding.UTF8.GetBytes("{\"iteration\":1}\n"), Ct);
        // The same bytes written again by someone else: the record no longer describes the file (its time changed).
        await Task.Delay(20, Ct);
        foreach (var file in new[] { Path.Combine(root, "data", "doc"), Path.Combine(root, "data", "runs", "r1", "metrics") })
            await File.WriteAllBytesAsync(file, await File.ReadAllBytesAsync(file, Ct), Ct);
        var before = FolderSnapshot.Take(root);

        var etags = await ReadEverythingAsync(store);
        var again = await ReadEverythingAsync(new FileBlobStore(root, "data"));

        Assert.AreEqual("", FolderSnapshot.Difference(before, FolderSnapshot.Take(root)), "reads changed the folder");
        CollectionAssert.AreEqual(etags, again, "every reader, in every process, derives the same ETags");
        Assert.AreNotEqual(first, etags[0], "the rewritten content has a fresh ETag");
        await Assert.ThrowsExactlyAsync<BlobConditionFailedException>(() => store.WriteAsync("doc", Encoding.UTF8.GetBytes("old"), WriteCondition.Match(first), Ct));
        await store.WriteAsync("doc", Encoding.UTF8.GetBytes("v2"), WriteCondition.Match(etags[0]), Ct);
        Assert.AreEqual("v2", Encoding.UTF8.GetString((await store.ReadAsync("doc", Ct))!.Content));
    }

    [TestMethod]
    public async Task Blobs_without_any_sidecar_are_read_without_creating_one()
    {
        var root = NewRoot();
        var store = await NewStoreAsync(root, Ct);
        await store.WriteAsync("doc", Encoding.UTF8.GetBytes("v1"), WriteCondition.None, Ct);
        await store.AppendAsync("runs/r1/metrics", Encoding.UTF8.GetBytes("{\"iteration\":1}\n"), Ct);
        Directory.Delete(Path.Combine(root, "data", BlobPaths.ReservedPrefix), recursive: true);
        var before = FolderSnapshot.Take(root);

        var etags = await ReadEverythingAsync(store);

        Assert.AreEqual("", FolderSnapshot.Difference(before, FolderSnapshot.Take(root)), "reads created sidecars");
        await store.WriteAsync("doc", Encoding.UTF8.GetBytes("v2"), WriteCondition.Match(etags[0]), Ct);
        Assert.AreEqual("v2", Encoding.UTF8.GetString((await store.ReadAsync("doc", Ct))!.Content));
    }

    [TestMethod]
    public async Task A_blob_the_operating_system_refuses_to_read_is_named_as_unreadable()
    {
        if (Environment.IsPrivilegedProcess)
        {
            Assert.Inconclusive("root reads files whatever their mode; the console tests cover this with the capability dropped");
            return;
        }
        var root = NewRoot();
        var store = await NewStoreAsync(root, Ct);
        await store.AppendAsync("runs/r1/metrics", Encoding.UTF8.GetBytes("{\"iteration\":1}\n"), Ct);
        File.SetUnixFileMode(Path.Combine(root, "data", "runs", "r1", "metrics"), UnixFileMode.None);
        var e = await Assert.ThrowsExactlyAsync<BlobUnreadableException>(() => store.ReadFromAsync("runs/r1/metrics", 0, Ct));
        StringAssert.Contains(e.Message, "runs/r1/metrics");
        Assert.AreEqual(403, e.Status);
    }
}
