using System.Text;

namespace MetaRl.Storage.Tests;

/// <summary>
/// The behaviour every <see cref="IBlobStore"/> must show, run once per provider by the concrete
/// subclasses. Each test gets a store on a container of its own, already created.
/// </summary>
[TestClass]
public abstract class BlobStoreContract
{
    private static int s_containerCounter;

    public TestContext TestContext { get; set; } = null!;

    protected IBlobStore Store { get; private set; } = null!;

    /// <summary>This test's container.</summary>
    protected string Container { get; private set; } = "";

    protected CancellationToken Ct => TestContext.CancellationToken;

    /// <summary>A store on <paramref name="container"/>; the container need not exist.</summary>
    protected abstract IBlobStore CreateStore(string container);

    protected static string NewContainerName() => $"t{Interlocked.Increment(ref s_containerCounter)}-{Guid.NewGuid():N}"[..24];

    [TestInitialize]
    public async Task CreateStoreAsync()
    {
        Container = NewContainerName();
        Store = CreateStore(Container);
        await Store.EnsureCreatedAsync(Ct);
    }

    protected static byte[] Bytes(string s) => Encoding.UTF8.GetBytes(s);

    protected async Task<string?> ReadTextAsync(string path) =>
        await Store.ReadAsync(path, Ct) is { } blob ? Encoding.UTF8.GetString(blob.Content) : null;

    // ---- writes, reads, ETags ---------------------------------------------------------------

    [TestMethod]
    public async Task Write_then_read_round_trips_the_content_and_every_write_changes_the_ETag()
    {
        var first = await Store.WriteAsync("runs/r1/state.json", Bytes("{\"i\":1}"), WriteCondition.None, Ct);
        var read = await Store.ReadAsync("runs/r1/state.json", Ct);
        Assert.IsNotNull(read);
        Assert.AreEqual("{\"i\":1}", Encoding.UTF8.GetString(read.Content));
        Assert.AreEqual(first, read.ETag);

        var second = await Store.WriteAsync("runs/r1/state.json", Bytes("{\"i\":2}"), WriteCondition.None, Ct);
        var third = await Store.WriteAsync("runs/r1/state.json", Bytes("{\"i\":2}"), WriteCondition.None, Ct);
        Assert.AreNotEqual(first, second);
        Assert.AreNotEqual(second, third, "rewriting the same bytes is still a new version");

        var props = await Store.GetPropertiesAsync("runs/r1/state.json", Ct);
        Assert.IsNotNull(props);
        Assert.AreEqual(third, props.ETag);
        Assert.AreEqual(7L, props.Length);
        Assert.IsTrue(props.LastModified > DateTimeOffset.UtcNow.AddMinutes(-5) && props.LastModified < DateTimeOffset.UtcNow.AddMinutes(5), $"{props.LastModified}");
    }

    [TestMethod]
    public async Task Empty_content_round_trips()
    {
        await Store.WriteAsync("empty", ReadOnlyMemory<byte>.Empty, WriteCondition.None, Ct);
        var read = await Store.ReadAsync("empty", Ct);
        Assert.IsNotNull(read);
        Assert.IsEmpty(read.Content);
    }

    [TestMethod]
    public async Task Reads_of_a_missing_blob_return_null()
    {
        Assert.IsNull(await Store.ReadAsync("missing/blob", Ct));
        Assert.IsNull(await Store.GetPropertiesAsync("missing/blob", Ct));
        Assert.IsNull(await Store.ReadFromAsync("missing/blob", 0, Ct));
    }

    [TestMethod]
    public async Task IfMatch_with_the_current_ETag_succeeds()
    {
        var etag = await Store.WriteAsync("doc", Bytes("v1"), WriteCondition.None, Ct);
        var next = await Store.WriteAsync("doc", Bytes("v2"), WriteCondition.Match(etag), Ct);
        Assert.AreNotEqual(etag, next);
        Assert.AreEqual("v2", await ReadTextAsync("doc"));
    }

    [TestMethod]
    public async Task IfMatch_with_a_stale_ETag_throws_412_and_leaves_the_content_unchanged()
    {
        var stale = await Store.WriteAsync("doc", Bytes("v1"), WriteCondition.None, Ct);
        await Store.WriteAsync("doc", Bytes("v2"), WriteCondition.Match(stale), Ct);

        var e = await Assert.ThrowsExactlyAsync<BlobConditionFailedException>(() =>
            Store.WriteAsync("doc", Bytes("lost"), WriteCondition.Match(stale), Ct));
        Assert.AreEqual(412, e.Status);
        Assert.AreEqual("v2", await ReadTextAsync("doc"));
    }

    [TestMethod]
    public async Task IfMatch_on_a_missing_blob_throws_412_and_creates_nothing()
    {
        var etag = await Store.WriteAsync("other", Bytes("x"), WriteCondition.None, Ct);
        var e = await Assert.ThrowsExactlyAsync<BlobConditionFailedException>(() =>
            Store.WriteAsync("doc", Bytes("v1"), WriteCondition.Match(etag), Ct));
        Assert.AreEqual(412, e.Status);
        Assert.IsNull(await Store.ReadAsync("doc", Ct));
    }

    [TestMethod]
    public async Task IfNotExists_creates_a_missing_blob()
    {
        var etag = await Store.WriteAsync("doc", Bytes("first"), WriteCondition.NotExists, Ct);
        Assert.AreEqual(etag, (await Store.ReadAsync("doc", Ct))?.ETag);
    }

    [TestMethod]
    public async Task IfNotExists_on_an_existing_blob_throws_409_and_leaves_the_content_unchanged()
    {
        await Store.WriteAsync("doc", Bytes("first"), WriteCondition.NotExists, Ct);
        var e = await Assert.ThrowsExactlyAsync<BlobConditionFailedException>(() =>
            Store.WriteAsync("doc", Bytes("second"), WriteCondition.NotExists, Ct));
        Assert.AreEqual(409, e.Status);
        Assert.AreEqual("first", await ReadTextAsync("doc"));
    }

    // ---- delete -------------------------------------------------------------------------------

    [TestMethod]
    public async Task Delete_removes_the_blob_and_deleting_again_returns_false()
    {
        await Store.WriteAsync("a/b/doc", Bytes("x"), WriteCondition.None, Ct);
        Assert.IsTrue(await Store.DeleteAsync("a/b/doc", WriteCondition.None, Ct));
        Assert.IsNull(await Store.ReadAsync("a/b/doc", Ct));
        Assert.IsFalse(await Store.DeleteAsync("a/b/doc", WriteCondition.None, Ct));
        Assert.IsFalse(await Store.DeleteAsync("never/written", WriteCondition.None, Ct));
    }

    [TestMethod]
    public async Task Conditional_delete_with_a_stale_ETag_throws_412_and_with_the_current_one_deletes()
    {
        var stale = await Store.WriteAsync("doc", Bytes("v1"), WriteCondition.None, Ct);
        var current = await Store.WriteAsync("doc", Bytes("v2"), WriteCondition.None, Ct);

        var e = await Assert.ThrowsExactlyAsync<BlobConditionFailedException>(() =>
            Store.DeleteAsync("doc", WriteCondition.Match(stale), Ct));
        Assert.AreEqual(412, e.Status);
        Assert.AreEqual("v2", await ReadTextAsync("doc"));

        Assert.IsTrue(await Store.DeleteAsync("doc", WriteCondition.Match(current), Ct));
        Assert.IsNull(await Store.ReadAsync("doc", Ct));
    }

    [TestMethod]
    public async Task Delete_that_requires_the_blob_not_to_exist_never_deletes()
    {
        await Store.WriteAsync("doc", Bytes("v1"), WriteCondition.None, Ct);
        var e = await Assert.ThrowsExactlyAsync<BlobConditionFailedException>(() =>
            Store.DeleteAsync("doc", WriteCondition.NotExists, Ct));
        Assert.AreEqual(412, e.Status);
        Assert.AreEqual("v1", await ReadTextAsync("doc"));
        Assert.IsFalse(await Store.DeleteAsync("missing", WriteCondition.NotExists, Ct));
    }

    // ---- listing ------------------------------------------------------------------------------

    [TestMethod]
    public async Task List_by_prefix_returns_nested_blobs_in_name_order_and_nothing_outside_the_prefix()
    {
        string[] names = ["runs/b/y.json", "runs/a/2.json", "other/w.json", "runs/a/sub/x.json", "runsx/z.json", "runs/a/10.json", "runs/a/1.json"];
        var etags = new Dictionary<string, string>();
        foreach (var name in names)
            etags[name] = await Store.WriteAsync(name, Bytes(name), WriteCondition.None, Ct);

        var runs = await ListAsync("runs/");
        CollectionAssert.AreEqual(
            new[] { "runs/a/1.json", "runs/a/10.json", "runs/a/2.json", "runs/a/sub/x.json", "runs/b/y.json" },
            runs.Select(i => i.Path).ToArray());
        foreach (var item in runs)
        {
            Assert.AreEqual(etags[item.Path], item.ETag, item.Path);
            Assert.AreEqual((long)Encoding.UTF8.GetByteCount(item.Path), item.Length, item.Path);
        }

        CollectionAssert.AreEqual(new[] { "runs/a/1.json", "runs/a/10.json" }, (await ListAsync("runs/a/1")).Select(i => i.Path).ToArray());
        CollectionAssert.AreEqual(names.Where(n => n.StartsWith("runs", StringComparison.Ordinal)).Order(StringComparer.Ordinal).ToArray(),
            (await ListAsync("runs")).Select(i => i.Path).ToArray());
        CollectionAssert.AreEqual(names.Order(StringComparer.Ordinal).ToArray(), (await ListAsync("")).Select(i => i.Path).ToArray());
        Assert.IsEmpty(await ListAsync("nothing/"));
    }

    [TestMethod]
    public async Task List_does_not_show_deleted_blobs()
    {
        await Store.WriteAsync("logs/1", Bytes("1"), WriteCondition.None, Ct);
        await Store.WriteAsync("logs/2", Bytes("2"), WriteCondition.None, Ct);
        await Store.DeleteAsync("logs/1", WriteCondition.None, Ct);
        CollectionAssert.AreEqual(new[] { "logs/2" }, (await ListAsync("logs/")).Select(i => i.Path).ToArray());
    }

    protected async Task<List<BlobItem>> ListAsync(string prefix)
    {
        var items = new List<BlobItem>();
        await foreach (var item in Store.ListAsync(prefix, Ct))
            items.Add(item);
        return items;
    }

    // ---- append blobs -------------------------------------------------------------------------

    [TestMethod]
    public async Task Append_creates_the_blob_on_first_use_appends_in_order_and_returns_the_lengths()
    {
        Assert.AreEqual(3L, await Store.AppendAsync("logs/events", Bytes("abc"), Ct));
        Assert.AreEqual(5L, await Store.AppendAsync("logs/events", Bytes("de"), Ct));
        Assert.AreEqual(9L, await Store.AppendAsync("logs/events", Bytes("fghi"), Ct));
        Assert.AreEqual("abcdefghi", await ReadTextAsync("logs/events"));
        Assert.AreEqual(9L, (await Store.GetPropertiesAsync("logs/events", Ct))!.Length);
    }

    [TestMethod]
    public async Task Every_append_changes_the_ETag()
    {
        await Store.AppendAsync("log", Bytes("a"), Ct);
        var before = (await Store.GetPropertiesAsync("log", Ct))!.ETag;
        await Store.AppendAsync("log", Bytes("b"), Ct);
        Assert.AreNotEqual(before, (await Store.GetPropertiesAsync("log", Ct))!.ETag);
    }

    [TestMethod]
    public async Task ReadFrom_returns_the_tail_from_an_offset_and_nothing_at_the_end()
    {
        await Store.AppendAsync("log", Bytes("line1\n"), Ct);
        var length = await Store.AppendAsync("log", Bytes("line2\n"), Ct);
        Assert.AreEqual("line1\nline2\n", Encoding.UTF8.GetString((await Store.ReadFromAsync("log", 0, Ct))!));
        Assert.AreEqual("line2\n", Encoding.UTF8.GetString((await Store.ReadFromAsync("log", 6, Ct))!));
        Assert.AreEqual("2\n", Encoding.UTF8.GetString((await Store.ReadFromAsync("log", 10, Ct))!));
        Assert.IsEmpty((await Store.ReadFromAsync("log", length, Ct))!);
        await Assert.ThrowsExactlyAsync<ArgumentOutOfRangeException>(() => Store.ReadFromAsync("log", -1, Ct));
    }

    [TestMethod]
    public async Task ReadFrom_works_on_block_blobs_too()
    {
        await Store.WriteAsync("doc", Bytes("0123456789"), WriteCondition.None, Ct);
        Assert.AreEqual("789", Encoding.UTF8.GetString((await Store.ReadFromAsync("doc", 7, Ct))!));
    }

    [TestMethod]
    public async Task Appending_to_a_block_blob_throws_409()
    {
        await Store.WriteAsync("doc", Bytes("block"), WriteCondition.None, Ct);
        var e = await Assert.ThrowsExactlyAsync<BlobStoreException>(() => Store.AppendAsync("doc", Bytes("x"), Ct));
        Assert.AreEqual(409, e.Status);
        Assert.AreEqual("block", await ReadTextAsync("doc"));
    }

    [TestMethod]
    public async Task Concurrent_appends_are_whole_and_each_reports_its_own_end()
    {
        const int Writers = 4, PerWriter = 10, Size = 16;
        var ends = await Task.WhenAll(Enumerable.Range(0, Writers).Select(w => Task.Run(async () =>
        {
            var mine = new List<long>();
            for (int i = 0; i < PerWriter; i++)
                mine.Add(await Store.AppendAsync("log", Bytes($"w{w}-{i:D2}".PadRight(Size - 1, '.') + "\n"), Ct));
            return mine;
        })));
        var all = ends.SelectMany(e => e).Order().ToArray();
        CollectionAssert.AreEqual(Enumerable.Range(1, Writers * PerWriter).Select(k => (long)k * Size).ToArray(), all);
        var lines = (await ReadTextAsync("log"))!.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.HasCount(Writers * PerWriter, lines);
        Assert.IsTrue(lines.All(l => l.Length == Size - 1 && l.StartsWith('w')), "no append was torn or interleaved");
    }

    // ---- concurrency --------------------------------------------------------------------------

    private sealed record Counter(int Value);

    /// <summary>Read-modify-write under If-Match with retry: the pattern every grain uses to persist state.</summary>
    protected static async Task IncrementAsync(IBlobStore store, string path, CancellationToken ct)
    {
        while (true)
        {
            var current = await store.ReadJsonAsync<Counter>(path, ct);
            try
            {
                if (current is { } c)
                    await store.WriteJsonAsync(path, new Counter(c.Value.Value + 1), WriteCondition.Match(c.ETag), ct);
                else
                    await store.WriteJsonAsync(path, new Counter(1), WriteCondition.NotExists, ct);
                return;
            }
            catch (BlobConditionFailedException)
            {
                // Someone else wrote in between: read again.
            }
        }
    }

    protected async Task<int> CounterValueAsync(IBlobStore store, string path) => (await store.ReadJsonAsync<Counter>(path, Ct))!.Value.Value.Value;

    [TestMethod]
    public async Task Concurrent_conditional_writers_lose_no_update()
    {
        await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(async () =>
        {
            for (int i = 0; i < 20; i++) await IncrementAsync(Store, "counter.json", Ct);
        })));
        Assert.AreEqual(160, await CounterValueAsync(Store, "counter.json"));
    }

    // ---- JSON, paths, containers --------------------------------------------------------------

    private sealed record RunState(string RunId, int Iteration, double[] Returns);

    [TestMethod]
    public async Task Json_helpers_round_trip_camelCase_documents_with_their_ETag()
    {
        Assert.IsNull(await Store.ReadJsonAsync<RunState>("runs/r1/state.json", Ct));
        var etag = await Store.WriteJsonAsync("runs/r1/state.json", new RunState("r1", 3, [1.5, -2]), WriteCondition.NotExists, Ct);
        Assert.AreEqual("{\"runId\":\"r1\",\"iteration\":3,\"returns\":[1.5,-2]}", await ReadTextAsync("runs/r1/state.json"));
        var read = await Store.ReadJsonAsync<RunState>("runs/r1/state.json", Ct);
        Assert.IsNotNull(read);
        Assert.AreEqual(etag, read.Value.ETag);
        Assert.AreEqual("r1", read.Value.Value.RunId);
        Assert.AreEqual(3, read.Value.Value.Iteration);
        CollectionAssert.AreEqual(new[] { 1.5, -2 }, read.Value.Value.Returns);
    }

    [TestMethod]
    public async Task Json_helpers_report_a_blob_that_is_not_the_expected_JSON()
    {
        await Store.WriteAsync("bad.json", Bytes("not json"), WriteCondition.None, Ct);
        await Assert.ThrowsExactlyAsync<InvalidDataException>(() => Store.ReadJsonAsync<RunState>("bad.json", Ct));
    }

    [TestMethod]
    [DataRow("")]
    [DataRow("/abs")]
    [DataRow("a//b")]
    [DataRow("a/")]
    [DataRow("a/./b")]
    [DataRow("a/../b")]
    [DataRow("..")]
    [DataRow("a\\b")]
    [DataRow(".metarl-meta/x")]
    public async Task Invalid_paths_are_rejected_with_an_ArgumentException_naming_the_path(string path)
    {
        var write = await Assert.ThrowsExactlyAsync<ArgumentException>(() => Store.WriteAsync(path, Bytes("x"), WriteCondition.None, Ct));
        StringAssert.Contains(write.Message, $"'{path}'");
        await Assert.ThrowsExactlyAsync<ArgumentException>(() => Store.ReadAsync(path, Ct));
        await Assert.ThrowsExactlyAsync<ArgumentException>(() => Store.DeleteAsync(path, WriteCondition.None, Ct));
        await Assert.ThrowsExactlyAsync<ArgumentException>(() => Store.AppendAsync(path, Bytes("x"), Ct));
    }

    [TestMethod]
    public async Task A_missing_container_reads_as_empty_and_refuses_writes_with_404()
    {
        var store = CreateStore(NewContainerName());
        Assert.IsNull(await store.ReadAsync("doc", Ct));
        Assert.IsEmpty(await ToListAsync(store.ListAsync("", Ct)));
        var e = await Assert.ThrowsExactlyAsync<BlobStoreException>(() => store.WriteAsync("doc", Bytes("x"), WriteCondition.None, Ct));
        Assert.AreEqual(404, e.Status);
        await store.EnsureCreatedAsync(Ct);
        await store.EnsureCreatedAsync(Ct);
        await store.WriteAsync("doc", Bytes("x"), WriteCondition.None, Ct);
    }

    private static async Task<List<T>> ToListAsync<T>(IAsyncEnumerable<T> source)
    {
        var list = new List<T>();
        await foreach (var item in source) list.Add(item);
        return list;
    }

    [TestMethod]
    public async Task Conditional_append_lands_only_at_the_expected_length()
    {
        var store = Store;
        Assert.AreEqual(3, await store.AppendAtAsync("log/a", new byte[] { 1, 2, 3 }, 0, CancellationToken.None));
        Assert.AreEqual(5, await store.AppendAtAsync("log/a", new byte[] { 4, 5 }, 3, CancellationToken.None));
        // A repeat of the last append (a retry after a lost answer) is refused, not duplicated.
        await Assert.ThrowsExactlyAsync<BlobConditionFailedException>(() => store.AppendAtAsync("log/a", new byte[] { 4, 5 }, 3, CancellationToken.None));
        CollectionAssert.AreEqual(new byte[] { 1, 2, 3, 4, 5 }, await store.ReadFromAsync("log/a", 0, CancellationToken.None));
        await Assert.ThrowsExactlyAsync<BlobConditionFailedException>(() => store.AppendAtAsync("log/missing", new byte[] { 1 }, 4, CancellationToken.None));
    }
}
