using MetaRl.Grains.Capacity;
using MetaRl.Grains.Hosting;
using Microsoft.Extensions.Options;

namespace MetaRl.Grains.Tests;

[TestClass]
public sealed class TrainingSlotsTests
{
    private static TrainingSlots Slots(int cores, int gpus = 0) => new(Options.Create(new TrainingOptions { CoreBudget = cores, Gpus = gpus }));

    [TestMethod]
    [Timeout(10_000, CooperativeCancellation = true)]
    public async Task Runs_beyond_the_budget_wait_first_come_first_served()
    {
        var slots = Slots(2);
        var a = await slots.AcquireAsync("a", 1, false, CancellationToken.None);
        var b = slots.AcquireAsync("b", 2, false, CancellationToken.None);
        var c = slots.AcquireAsync("c", 1, false, CancellationToken.None);
        Assert.IsFalse(b.IsCompleted, "b needs two cores; one is taken");
        Assert.IsFalse(c.IsCompleted, "c would fit, but b came first");
        a.Dispose();
        var bSlot = await b;
        Assert.IsFalse(c.IsCompleted);
        bSlot.Dispose();
        (await c).Dispose();
        Assert.AreEqual(2, slots.Snapshot().PeakCoresInUse);
    }

    [TestMethod]
    [Timeout(10_000, CooperativeCancellation = true)]
    public async Task A_resuming_run_waits_ahead_of_runs_that_never_started_and_behind_earlier_resuming_ones()
    {
        var slots = Slots(1);
        var a = await slots.AcquireAsync("a", 1, false, CancellationToken.None);
        var fresh1 = slots.AcquireAsync("fresh1", 1, false, CancellationToken.None);
        var fresh2 = slots.AcquireAsync("fresh2", 1, false, CancellationToken.None);
        var displaced1 = slots.AcquireAsync("displaced1", 1, false, CancellationToken.None, resuming: true);
        var displaced2 = slots.AcquireAsync("displaced2", 1, false, CancellationToken.None, resuming: true);
        CollectionAssert.AreEqual(new[] { "displaced1", "displaced2", "fresh1", "fresh2" }, slots.Snapshot().Waiting);
        a.Dispose();
        var d1 = await displaced1;
        Assert.IsFalse(fresh1.IsCompleted || displaced2.IsCompleted);
        d1.Dispose();
        (await displaced2).Dispose();
        (await fresh1).Dispose();
        (await fresh2).Dispose();
    }

    [TestMethod]
    [Timeout(10_000, CooperativeCancellation = true)]
    public async Task A_run_never_waits_for_more_cores_than_the_silo_has()
    {
        var slots = Slots(2);
        using var big = await slots.AcquireAsync("big", 8, false, CancellationToken.None);
        Assert.AreEqual(2, slots.Snapshot().CoresInUse);
    }

    [TestMethod]
    [Timeout(10_000, CooperativeCancellation = true)]
    public async Task A_cancelled_wait_leaves_the_queue()
    {
        var slots = Slots(1);
        using var a = await slots.AcquireAsync("a", 1, false, CancellationToken.None);
        using var stop = new CancellationTokenSource();
        var b = slots.AcquireAsync("b", 1, false, stop.Token);
        Assert.AreEqual(1, slots.Snapshot().Waiting.Count);
        stop.Cancel();
        await Assert.ThrowsAsync<OperationCanceledException>(() => b);
        Assert.AreEqual(0, slots.Snapshot().Waiting.Count);
    }

    [TestMethod]
    [Timeout(10_000, CooperativeCancellation = true)]
    public async Task Gpu_runs_take_a_gpu_and_a_silo_without_one_refuses_them()
    {
        var slots = Slots(4, gpus: 1);
        using var first = await slots.AcquireAsync("g1", 1, true, CancellationToken.None);
        var second = slots.AcquireAsync("g2", 1, true, CancellationToken.None);
        Assert.IsFalse(second.IsCompleted, "one GPU, in use");
        using var cpu = await slots.AcquireAsync("c", 1, false, CancellationToken.None);
        first.Dispose();
        (await second).Dispose();
        await Assert.ThrowsExactlyAsync<InvalidOperationException>(() => Slots(4).AcquireAsync("g", 1, true, CancellationToken.None));
    }
}
