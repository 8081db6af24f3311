using MetaRl.Learning.Environments;
using MetaRl.Learning.Environments.MuJoCo;

namespace MetaRl.Learning.Tests.MuJoCo;

/// <summary>
/// The shim's cache of MuJoCo's large blocks (Learning/native/mujoco/alloc.c): environments made
/// after others were disposed get their mjData stacks from the cache, and behave exactly like
/// environments on fresh memory.
/// </summary>
[TestClass]
public sealed class AllocationCacheTests
{
    private static unsafe (long Blocks, long Bytes, long Hits, long Misses) Stats()
    {
        long blocks, bytes, hits, misses;
        MujocoNative.mjs_alloc_stats(&blocks, &bytes, &hits, &misses);
        return (blocks, bytes, hits, misses);
    }

    private static float[] Trace(IEnvironment env, int steps)
    {
        var obs = new float[env.ObservationSize];
        var trace = new List<float>();
        env.Reset(obs);
        trace.AddRange(obs);
        var action = new float[6];
        for (int t = 0; t < steps; t++)
        {
            for (int j = 0; j < 6; j++) action[j] = MathF.Sin(0.3f * t + j);
            var r = env.Step(action, obs);
            trace.AddRange(obs);
            trace.Add((float)r.Reward);
        }
        return trace.ToArray();
    }

    [TestMethod]
    public void Environments_made_after_others_were_disposed_reuse_their_blocks_and_step_identically()
    {
        var family = TaskFamilies.CreateRl("HalfCheetah-Mass");
        var tasks = family.FixedTaskSet(4, seed: 3);
        var first = tasks.Select((t, i) => family.CreateEnvironment(t, (ulong)i)).ToList();
        var expected = first.Select(e => Trace(e, 60)).ToList();
        foreach (var e in first) e.Dispose();
        var (blocks, bytes, hits, _) = Stats();
        Assert.IsTrue(blocks >= 4 && bytes >= 4L * 256 * 1024, $"the disposed environments' stacks are kept: {blocks} blocks, {bytes} bytes");

        var second = tasks.Select((t, i) => family.CreateEnvironment(t, (ulong)i)).ToList();
        var after = Stats();
        Assert.IsTrue(after.Hits >= hits + 4, $"cache hits {hits} → {after.Hits}: the new environments took the kept blocks");
        for (int i = 0; i < second.Count; i++) CollectionAssert.AreEqual(expected[i], Trace(second[i], 60), $"environment {i}");
        foreach (var e in second) e.Dispose();
    }
}
