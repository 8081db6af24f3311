using MetaRl.Learning.Algorithms.Mql;

namespace MetaRl.Learning.Tests.Algorithms.Mql;

[TestClass]
public sealed class ReplayTests
{
    // obs 2, action 1: transition k of an episode has observation (k, 10k), action −k, reward 100k.
    private static void AddEpisode(TaskReplay replay, int steps, float offset = 0, bool terminates = false)
    {
        for (int k = 0; k < steps; k++)
            replay.Add([offset + k, 10 * k], [-k], 100 * k, [offset + k + 1, 10 * (k + 1)], terminates && k == steps - 1, k);
    }

    [TestMethod]
    public void A_segment_round_trips_through_bytes_exactly()
    {
        var replay = new TaskReplay(2, 1, segmentSize: 4, maxSegments: 4);
        AddEpisode(replay, 6, offset: 0.25f, terminates: true);
        foreach (var s in replay.Segments)
        {
            var back = ReplaySegment.FromBytes(s.ToBytes());
            Assert.AreEqual(s.Number, back.Number);
            Assert.AreEqual(s.Count, back.Count);
            CollectionAssert.AreEqual(s.Observations, back.Observations);
            CollectionAssert.AreEqual(s.Actions, back.Actions);
            CollectionAssert.AreEqual(s.Rewards, back.Rewards);
            CollectionAssert.AreEqual(s.NextObservations, back.NextObservations);
            CollectionAssert.AreEqual(s.Terminals, back.Terminals);
            CollectionAssert.AreEqual(s.StepIndices, back.StepIndices);
        }
        var bytes = replay.Segments[0].ToBytes();
        Assert.ThrowsExactly<InvalidDataException>(() => ReplaySegment.FromBytes(bytes.AsSpan(0, bytes.Length - 1)));
    }

    [TestMethod]
    public void Full_segments_are_sealed_and_the_oldest_is_dropped_whole_past_the_capacity()
    {
        var replay = new TaskReplay(2, 1, segmentSize: 4, maxSegments: 3);
        AddEpisode(replay, 10);
        Assert.AreEqual(10, replay.Appended);
        Assert.AreEqual(0, replay.First);
        CollectionAssert.AreEqual(new long[] { 0, 1 }, replay.SealedFrom(0).Select(s => s.Number).ToArray());
        Assert.AreEqual(2, replay.Open!.Number);
        AddEpisode(replay, 3);   // segment 3 opens, segment 0 goes
        Assert.AreEqual(4, replay.First);
        Assert.AreEqual(9, replay.Count);
        CollectionAssert.AreEqual(new long[] { 2 }, replay.SealedFrom(2).Select(s => s.Number).ToArray(), "only what a checkpoint at segment 2 has not written");
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => replay.StepIndexOf(3));
    }

    [TestMethod]
    public void A_context_window_holds_the_episode_s_previous_transitions_oldest_first_and_zeros_before_its_start()
    {
        var replay = new TaskReplay(2, 1, segmentSize: 3, maxSegments: 5);
        AddEpisode(replay, 2);          // indices 0, 1
        AddEpisode(replay, 4, 50);      // indices 2..5, a new episode (step indices 0..3)
        var w = new float[3 * 4];       // history 3 × (action, reward, obs0, obs1)
        replay.Context(4, 3, next: false, w);   // step 2 of the second episode: its steps 0 and 1
        CollectionAssert.AreEqual(new float[] { 0, 0, 0, 0, -0, 0, 50, 0, -1, 100, 51, 10 }, w);
        replay.Context(4, 3, next: true, w);    // the state after step 2: steps 0, 1, 2
        CollectionAssert.AreEqual(new float[] { -0, 0, 50, 0, -1, 100, 51, 10, -2, 200, 52, 20 }, w);
        replay.Context(2, 3, next: false, w);   // the first step of an episode has no context
        CollectionAssert.AreEqual(new float[12], w);
        replay.Context(5, 2, next: true, w.AsSpan(0, 8));  // a window shorter than the episode: the last two
        CollectionAssert.AreEqual(new float[] { -2, 200, 52, 20, -3, 300, 53, 30 }, w[..8]);
    }

    [TestMethod]
    public void A_buffer_restored_from_its_segments_reads_the_same()
    {
        var replay = new TaskReplay(2, 1, segmentSize: 4, maxSegments: 3);
        AddEpisode(replay, 11);
        var copy = new TaskReplay(2, 1, segmentSize: 4, maxSegments: 3);
        copy.Restore(replay.Segments.Select(s => ReplaySegment.FromBytes(s.ToBytes())).ToList());
        Assert.AreEqual(replay.First, copy.First);
        Assert.AreEqual(replay.Appended, copy.Appended);
        var a = new float[3 * 4];
        var b = new float[3 * 4];
        for (long i = replay.First; i < replay.Appended; i++)
        {
            replay.Context(i, 3, next: true, a);
            copy.Context(i, 3, next: true, b);
            CollectionAssert.AreEqual(a, b);
        }
        var gap = replay.Segments.Where(s => s.Number != 1).Select(s => ReplaySegment.FromBytes(s.ToBytes())).ToList();
        Assert.ThrowsExactly<InvalidDataException>(() => new TaskReplay(2, 1, 4, 3).Restore(gap));
        AddEpisode(replay, 2);
        AddEpisode(copy, 2);
        Assert.AreEqual(replay.Appended, copy.Appended);
        Assert.AreEqual(replay.First, copy.First);
    }
}
