using System.ComponentModel;
using System.Diagnostics;
using System.Text;
using System.Text.Json.Nodes;

namespace MetaRl.Storage.Tests;

/// <summary>The contract on the local file system (one temp folder for the class, a container per test), and what is particular to it.</summary>
[TestClass]
public sealed class FileBlobStoreContractTests : BlobStoreContract
{
    private static string s_root = "";

    [ClassInitialize]
    public static void CreateRoot(TestContext _)
    {
        s_root = Path.Combine(Path.GetTempPath(), $"metarl-fileblob-{Guid.NewGuid():N}");
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

    private string ContainerFolder => Path.Combine(s_root, Container);

    [TestMethod]
    public async Task Two_stores_on_the_same_folder_lose_no_update()
    {
        var other = new FileBlobStore(s_root, Container);
        await Task.WhenAll(new[] { Store, other }.SelectMany(store => Enumerable.Range(0, 4).Select(_ => Task.Run(async () =>
        {
            for (int i = 0; i < 20; i++) await IncrementAsync(store, "counter.json", Ct);
        }))));
        Assert.AreEqual(160, await CounterValueAsync(Store, "counter.json"));
    }

    /// <summary>
    /// The lock is an flock on a lock file, so it binds other processes too: while flock(1) — another
    /// process, using the same system call — holds a blob's lock, a write to that blob waits.
    /// </summary>
    [TestMethod]
    public async Task A_write_waits_while_another_process_holds_the_blobs_lock()
    {
        await Store.WriteAsync("locked/doc", Encoding.UTF8.GetBytes("v1"), WriteCondition.None, Ct);
        var lockFile = ((FileBlobStore)Store).LockFileOf("locked/doc");
        var psi = new ProcessStartInfo("flock") { RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var a in new[] { lockFile, "-c", "echo held; sleep 2" }) psi.ArgumentList.Add(a);
        Process holder;
        try
        {
            holder = Process.Start(psi)!;
        }
        catch (Win32Exception)
        {
            Assert.Inconclusive("flock(1) (util-linux) is not installed");
            return;
        }
        using (holder)
        {
            Assert.AreEqual("held", await holder.StandardOutput.ReadLineAsync(Ct));
            var clock = Stopwatch.StartNew();
            var write = Task.Run(async () =>
            {
                await Store.WriteAsync("locked/doc", Encoding.UTF8.GetBytes("v2"), WriteCondition.None, Ct);
                return clock.Elapsed;
            });
            // Reads take the lock too (shared), so they never pair new content with the old ETag.
            var read = Task.Run(async () =>
            {
                await Store.ReadAsync("locked/doc", Ct);
                return clock.Elapsed;
            });
            var waited = await Task.WhenAll(write, read);
            await holder.WaitForExitAsync(Ct);
            Assert.IsGreaterThan(1.5, waited[0].TotalSeconds, "the write must wait for the other process's lock");
            Assert.IsGreaterThan(1.5, waited[1].TotalSeconds, "the read must wait for the other process's lock");
        }
        Assert.AreEqual("v2", await ReadTextAsync("locked/doc"));
    }

    [TestMethod]
    public async Task Content_lives_at_the_blob_path_and_nothing_else_shows_in_the_content_tree()
    {
        await Store.WriteAsync("runs/r1/state.json", Encoding.UTF8.GetBytes("{}"), WriteCondition.None, Ct);
        var sidecar = Path.Combine(ContainerFolder, BlobPaths.ReservedPrefix) + Path.DirectorySeparatorChar;
        var contentFiles = Directory.GetFiles(ContainerFolder, "*", SearchOption.AllDirectories)
            .Where(f => !f.StartsWith(sidecar, StringComparison.Ordinal))
            .Select(f => Path.GetRelativePath(ContainerFolder, f)).ToArray();
        CollectionAssert.AreEqual(new[] { Path.Combine("runs", "r1", "state.json") }, contentFiles);
        Assert.AreEqual("{}", await File.ReadAllTextAsync(Path.Combine(ContainerFolder, "runs", "r1", "state.json"), Ct));
        CollectionAssert.AreEqual(new[] { "runs/r1/state.json" }, (await ListAsync("")).Select(i => i.Path).ToArray());
    }

    [TestMethod]
    public async Task Content_changed_behind_the_stores_back_gets_a_fresh_ETag_so_old_ETags_no_longer_match()
    {
        var etag = await Store.WriteAsync("doc", Encoding.UTF8.GetBytes("v1"), WriteCondition.None, Ct);
        // What a crash between the content rename and the metadata rename leaves behind.
        await File.WriteAllTextAsync(Path.Combine(ContainerFolder, "doc"), "changed outside", Ct);

        var read = await Store.ReadAsync("doc", Ct);
        Assert.IsNotNull(read);
        Assert.AreEqual("changed outside", Encoding.UTF8.GetString(read.Content));
        Assert.AreNotEqual(etag, read.ETag);
        await Assert.ThrowsExactlyAsync<BlobConditionFailedException>(() =>
            Store.WriteAsync("doc", Encoding.UTF8.GetBytes("v2"), WriteCondition.Match(etag), Ct));
        await Store.WriteAsync("doc", Encoding.UTF8.GetBytes("v2"), WriteCondition.Match(read.ETag), Ct);
    }

    [TestMethod]
    public async Task A_metadata_record_from_when_the_store_kept_leases_still_reads_with_its_ETag()
    {
        var etag = await Store.WriteAsync("doc", Encoding.UTF8.GetBytes("v1"), WriteCondition.None, Ct);
        var record = Path.Combine(ContainerFolder, BlobPaths.ReservedPrefix, "doc.m");
        var json = JsonNode.Parse(await File.ReadAllTextAsync(record, Ct))!.AsObject();
        json["leaseId"] = Guid.NewGuid().ToString();
        json["leaseExpiryTicks"] = DateTime.UtcNow.AddMinutes(1).Ticks;
        json["leaseDurationTicks"] = TimeSpan.FromSeconds(60).Ticks;
        await File.WriteAllTextAsync(record, json.ToJsonString(), Ct);

        Assert.AreEqual(etag, (await Store.ReadAsync("doc", Ct))!.ETag, "the record is not taken for a torn one");
        await Store.WriteAsync("doc", Encoding.UTF8.GetBytes("v2"), WriteCondition.Match(etag), Ct);
        Assert.AreEqual("v2", await ReadTextAsync("doc"));
    }

    [TestMethod]
    public async Task A_file_copied_into_the_folder_is_a_blob()
    {
        Directory.CreateDirectory(Path.Combine(ContainerFolder, "imported"));
        await File.WriteAllTextAsync(Path.Combine(ContainerFolder, "imported", "spec.json"), "{\"a\":1}", Ct);
        var items = await ListAsync("imported/");
        Assert.HasCount(1, items);
        Assert.AreEqual(7L, items[0].Length);
        Assert.AreEqual(items[0].ETag, (await Store.ReadAsync("imported/spec.json", Ct))!.ETag);
    }

    [TestMethod]
    public async Task A_blob_and_a_blob_under_a_folder_of_its_name_cannot_coexist_and_deleting_one_frees_the_name()
    {
        await Store.WriteAsync("a", Encoding.UTF8.GetBytes("file"), WriteCondition.None, Ct);
        var e = await Assert.ThrowsExactlyAsync<BlobStoreException>(() => Store.WriteAsync("a/b", Encoding.UTF8.GetBytes("x"), WriteCondition.None, Ct));
        Assert.AreEqual(409, e.Status);
        Assert.IsTrue(await Store.DeleteAsync("a", WriteCondition.None, Ct));

        await Store.WriteAsync("a/b/c", Encoding.UTF8.GetBytes("nested"), WriteCondition.None, Ct);
        e = await Assert.ThrowsExactlyAsync<BlobStoreException>(() => Store.WriteAsync("a", Encoding.UTF8.GetBytes("x"), WriteCondition.None, Ct));
        Assert.AreEqual(409, e.Status);
        Assert.IsTrue(await Store.DeleteAsync("a/b/c", WriteCondition.None, Ct));
        await Store.WriteAsync("a", Encoding.UTF8.GetBytes("file again"), WriteCondition.None, Ct);
        Assert.AreEqual("file again", await ReadTextAsync("a"));
    }

    [TestMethod]
    public async Task Names_that_map_to_the_same_sidecar_files_under_a_naive_scheme_stay_apart()
    {
        // Blob "x" keeps its record in ".metarl-meta/x.m"; a naive scheme would also need that name as a folder for "x.m/y".
        await Store.WriteAsync("x", Encoding.UTF8.GetBytes("1"), WriteCondition.None, Ct);
        await Store.WriteAsync("x.m/y", Encoding.UTF8.GetBytes("2"), WriteCondition.None, Ct);
        await Store.WriteAsync("x.lock/y", Encoding.UTF8.GetBytes("3"), WriteCondition.None, Ct);
        await Store.WriteAsync("x.d", Encoding.UTF8.GetBytes("4"), WriteCondition.None, Ct);
        Assert.AreEqual("1", await ReadTextAsync("x"));
        Assert.AreEqual("2", await ReadTextAsync("x.m/y"));
        Assert.AreEqual("3", await ReadTextAsync("x.lock/y"));
        Assert.AreEqual("4", await ReadTextAsync("x.d"));
    }
}
