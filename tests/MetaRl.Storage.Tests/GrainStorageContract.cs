using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Orleans;
using Orleans.Runtime;
using Orleans.Serialization;
using Orleans.Serialization.Serializers;
using Orleans.Storage;

namespace MetaRl.Storage.Tests;

/// <summary>
/// <see cref="BlobGrainStorage"/> driven directly, the way Orleans' state bridge calls it, with the
/// System.Text.Json serializer the hosts configure; run once per blob store by the subclasses. Each
/// test gets a container of its own that does not exist yet (the first write makes it).
/// </summary>
[TestClass]
public abstract class GrainStorageContract
{
    private static readonly ServiceProvider s_services = new ServiceCollection().AddSerializer().BuildServiceProvider();
    private static int s_containerCounter;

    public TestContext TestContext { get; set; } = null!;

    protected IBlobStore Store { get; private set; } = null!;

    protected BlobGrainStorage Storage { get; private set; } = null!;

    protected CancellationToken Ct => TestContext.CancellationToken;

    /// <summary>A store on <paramref name="container"/>; the container need not exist.</summary>
    protected abstract IBlobStore CreateStore(string container);

    [TestInitialize]
    public void CreateStorage()
    {
        Store = CreateStore($"g{Interlocked.Increment(ref s_containerCounter)}-{Guid.NewGuid():N}"[..24]);
        Storage = NewStorage(Store);
    }

    protected static BlobGrainStorage NewStorage(IBlobStore store) => new(
        store,
        new SystemTextJsonGrainStorageSerializer(Options.Create(new SystemTextJsonGrainStorageSerializerOptions())),
        s_services.GetRequiredService<IActivatorProvider>());

    private sealed record RunRecord(string RunId, int Iteration, double[] Returns, string? Note);

    /// <summary>A state whose constructor sets defaults, to see that a reset state is a fresh one.</summary>
    private sealed class Counter
    {
        public int Value { get; set; }
        public List<string> Log { get; set; } = ["created"];
    }

    private static readonly GrainId Run1 = GrainId.Create("runexecutor", "r1");

    private static RunRecord Record(int iteration, string? note = null) => new("r1", iteration, [1.5, -2, iteration], note);

    private static void AssertSameRecord(RunRecord expected, RunRecord? actual)
    {
        Assert.IsNotNull(actual);
        Assert.AreEqual(expected.RunId, actual.RunId);
        Assert.AreEqual(expected.Iteration, actual.Iteration);
        CollectionAssert.AreEqual(expected.Returns, actual.Returns);
        Assert.AreEqual(expected.Note, actual.Note);
    }

    private async Task<GrainState<T>> ReadAsync<T>(GrainId grain, string stateName = "state")
    {
        var state = new GrainState<T>();
        await Storage.ReadStateAsync(stateName, grain, state, Ct);
        return state;
    }

    private async Task<GrainState<RunRecord>> WrittenAsync(RunRecord record)
    {
        var state = new GrainState<RunRecord>(record, null);
        await Storage.WriteStateAsync("state", Run1, state, Ct);
        return state;
    }

    // ---- read and write ---------------------------------------------------------------------

    [TestMethod]
    public async Task A_written_record_reads_back_equal_with_the_ETag_the_write_set()
    {
        var written = await WrittenAsync(Record(3, "ü/\"quoted\""));
        Assert.IsTrue(written.RecordExists);
        Assert.IsFalse(string.IsNullOrEmpty(written.ETag));

        var read = await ReadAsync<RunRecord>(Run1);
        AssertSameRecord(Record(3, "ü/\"quoted\""), read.State);
        Assert.AreEqual(written.ETag, read.ETag);
        Assert.IsTrue(read.RecordExists);
        Assert.IsNotNull(await Store.ReadAsync(GrainStatePaths.Of("state", Run1), Ct), "one blob at the documented path");
    }

    [TestMethod]
    public async Task A_state_never_written_reads_as_no_record_with_a_fresh_state_and_no_ETag()
    {
        var state = new GrainState<Counter>(new Counter { Value = 7, Log = ["stale"] }, "\"stale-etag\"") { RecordExists = true };
        await Storage.ReadStateAsync("state", Run1, state, Ct);
        Assert.IsFalse(state.RecordExists);
        Assert.IsNull(state.ETag);
        Assert.IsNotNull(state.State);
        Assert.AreEqual(0, state.State.Value);
        CollectionAssert.AreEqual(new[] { "created" }, state.State.Log, "the state is a new instance, as its constructor makes it");
    }

    [TestMethod]
    public async Task Writes_with_the_current_ETag_replace_the_record_and_each_sets_a_new_ETag()
    {
        var state = await WrittenAsync(Record(1));
        var first = state.ETag;
        state.State = Record(2);
        await Storage.WriteStateAsync("state", Run1, state, Ct);
        Assert.AreNotEqual(first, state.ETag);
        AssertSameRecord(Record(2), (await ReadAsync<RunRecord>(Run1)).State);
    }

    [TestMethod]
    public async Task A_writer_holding_a_stale_ETag_gets_InconsistentStateException_and_the_stored_record_is_unchanged()
    {
        await WrittenAsync(Record(1));
        var winner = await ReadAsync<RunRecord>(Run1);
        var loser = await ReadAsync<RunRecord>(Run1);
        var stale = loser.ETag;

        winner.State = Record(2);
        await Storage.WriteStateAsync("state", Run1, winner, Ct);
        loser.State = Record(99);
        var e = await Assert.ThrowsExactlyAsync<InconsistentStateException>(() => Storage.WriteStateAsync("state", Run1, loser, Ct));

        Assert.AreEqual(winner.ETag, e.StoredEtag);
        Assert.AreEqual(stale, e.CurrentEtag);
        StringAssert.Contains(e.Message, GrainStatePaths.Of("state", Run1));
        Assert.AreEqual(stale, loser.ETag, "a failed write leaves the caller's ETag alone");
        var read = await ReadAsync<RunRecord>(Run1);
        AssertSameRecord(Record(2), read.State);
        Assert.AreEqual(winner.ETag, read.ETag);
    }

    [TestMethod]
    public async Task A_write_without_an_ETag_only_creates_so_of_concurrent_creators_exactly_one_wins()
    {
        var attempts = await Task.WhenAll(Enumerable.Range(1, 6).Select(i => Task.Run(async () =>
        {
            var state = new GrainState<RunRecord>(Record(i), null);
            try
            {
                await Storage.WriteStateAsync("state", Run1, state, Ct);
                return (Iteration: i, ETag: state.ETag, Error: (InconsistentStateException?)null);
            }
            catch (InconsistentStateException e)
            {
                return (Iteration: i, ETag: (string?)null, Error: e);
            }
        })));

        var winners = attempts.Where(a => a.Error is null).ToArray();
        Assert.HasCount(1, winners);
        var read = await ReadAsync<RunRecord>(Run1);
        AssertSameRecord(Record(winners[0].Iteration), read.State);
        foreach (var loser in attempts.Where(a => a.Error is not null))
        {
            Assert.IsNull(loser.Error!.CurrentEtag);
            Assert.AreEqual(read.ETag, loser.Error.StoredEtag);
        }
    }

    [TestMethod]
    public async Task The_first_write_creates_the_missing_container()
    {
        Assert.IsFalse((await ReadAsync<RunRecord>(Run1)).RecordExists, "a read does not need the container");
        await WrittenAsync(Record(1));
        AssertSameRecord(Record(1), (await ReadAsync<RunRecord>(Run1)).State);
    }

    // ---- clear --------------------------------------------------------------------------------

    [TestMethod]
    public async Task Clear_deletes_the_record_resets_the_state_and_a_later_read_finds_none()
    {
        var state = new GrainState<Counter>(new Counter { Value = 5 }, null);
        await Storage.WriteStateAsync("state", Run1, state, Ct);

        await Storage.ClearStateAsync("state", Run1, state, Ct);
        Assert.IsNull(state.ETag);
        Assert.IsFalse(state.RecordExists);
        Assert.AreEqual(0, state.State!.Value);
        Assert.IsNull(await Store.ReadAsync(GrainStatePaths.Of("state", Run1), Ct));

        var read = await ReadAsync<Counter>(Run1);
        Assert.IsFalse(read.RecordExists);
        Assert.IsNull(read.ETag);

        // Cleared means "no record": writing again is a create.
        state.State = new Counter { Value = 6 };
        await Storage.WriteStateAsync("state", Run1, state, Ct);
        Assert.AreEqual(6, (await ReadAsync<Counter>(Run1)).State!.Value);
    }

    [TestMethod]
    public async Task Clear_with_a_stale_ETag_throws_InconsistentStateException_and_keeps_the_record()
    {
        var stale = await WrittenAsync(Record(1));
        var current = await ReadAsync<RunRecord>(Run1);
        current.State = Record(2);
        await Storage.WriteStateAsync("state", Run1, current, Ct);

        var e = await Assert.ThrowsExactlyAsync<InconsistentStateException>(() => Storage.ClearStateAsync("state", Run1, stale, Ct));
        Assert.AreEqual(current.ETag, e.StoredEtag);
        AssertSameRecord(Record(2), (await ReadAsync<RunRecord>(Run1)).State);
    }

    [TestMethod]
    public async Task Clear_without_an_ETag_does_not_delete_a_record_it_never_saw()
    {
        await WrittenAsync(Record(1));
        var blind = new GrainState<RunRecord>();
        await Assert.ThrowsExactlyAsync<InconsistentStateException>(() => Storage.ClearStateAsync("state", Run1, blind, Ct));
        Assert.IsTrue((await ReadAsync<RunRecord>(Run1)).RecordExists);
        await Storage.ClearStateAsync("state", GrainId.Create("runexecutor", "never-written"), blind, Ct);
    }

    // ---- naming, odd content ------------------------------------------------------------------

    [TestMethod]
    public async Task Grains_and_state_names_with_odd_characters_map_to_distinct_valid_paths_and_keep_their_own_state()
    {
        string[] keys = ["r1", "R1", "Run/1", "run/1", "run~2f1", "run%2F1", "..", ".", ".hidden", "a b", "ünïcödé", "~~", "x/../y", new('x', 300), new string('x', 299) + "y"];
        var grains = keys.Select(k => GrainId.Create("runexecutor", k))
            .Append(GrainId.Create("RunExecutor", "r1"))
            .Append(GrainId.Create("sys.svc/odd type", "r1")).ToArray();
        var paths = new HashSet<string>();
        for (int i = 0; i < grains.Length; i++)
        {
            foreach (var stateName in new[] { "state", "State", "checkpoint/latest" })
            {
                var path = GrainStatePaths.Of(stateName, grains[i]);
                Assert.IsNull(BlobPaths.Problem(path), path);
                FileBlobLayout.ValidateForFileSystem(path, "path");
                Assert.IsTrue(paths.Add(path), $"{grains[i]} {stateName} maps to {path}, as another one does");
                var state = new GrainState<Counter>(new Counter { Value = i, Log = [stateName] }, null);
                await Storage.WriteStateAsync(stateName, grains[i], state, Ct);
            }
        }
        for (int i = 0; i < grains.Length; i++)
        {
            foreach (var stateName in new[] { "state", "State", "checkpoint/latest" })
            {
                var read = await ReadAsync<Counter>(grains[i], stateName);
                Assert.AreEqual(i, read.State!.Value, $"{grains[i]} {stateName}");
                CollectionAssert.AreEqual(new[] { stateName }, read.State.Log);
            }
        }
    }

    [TestMethod]
    public async Task A_corrupt_blob_fails_the_read_with_an_InvalidDataException_naming_the_blob()
    {
        var path = GrainStatePaths.Of("state", Run1);
        await Store.EnsureCreatedAsync(Ct);
        await Store.WriteAsync(path, Encoding.UTF8.GetBytes("{\"RunId\": \"r1\", \"Iteration\": "), WriteCondition.None, Ct);

        var e = await Assert.ThrowsExactlyAsync<InvalidDataException>(() => ReadAsync<RunRecord>(Run1));
        StringAssert.Contains(e.Message, $"'{path}'");
        StringAssert.Contains(e.Message, Store.Location);
        StringAssert.Contains(e.Message, nameof(RunRecord));
        Assert.IsNotNull(e.InnerException);
    }

    [TestMethod]
    public async Task An_empty_blob_is_a_record_without_state_whose_ETag_a_write_must_match()
    {
        var path = GrainStatePaths.Of("state", Run1);
        await Store.EnsureCreatedAsync(Ct);
        var etag = await Store.WriteAsync(path, ReadOnlyMemory<byte>.Empty, WriteCondition.None, Ct);

        var read = await ReadAsync<Counter>(Run1);
        Assert.IsFalse(read.RecordExists);
        Assert.AreEqual(etag, read.ETag);
        Assert.AreEqual(0, read.State!.Value);
        await Assert.ThrowsExactlyAsync<InconsistentStateException>(() =>
            Storage.WriteStateAsync("state", Run1, new GrainState<Counter>(new Counter { Value = 1 }, null), Ct));
        read.State.Value = 2;
        await Storage.WriteStateAsync("state", Run1, read, Ct);
        Assert.AreEqual(2, (await ReadAsync<Counter>(Run1)).State!.Value);
    }
}
