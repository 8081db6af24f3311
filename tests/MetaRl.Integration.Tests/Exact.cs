using MetaRl.Grains.Execution;
using MetaRl.Grains.Interfaces;
using MetaRl.Grains.Interfaces.State;
using MetaRl.Learning.Common;
using MetaRl.Testing;

namespace MetaRl.Integration.Tests;

/// <summary>The exactly-once, bit-identical check of a run against an uninterrupted run of it.</summary>
public static class Exact
{
    public static async Task AssertAsync(SiloCluster cluster, string runId, (List<string> Lines, byte[] Parameters) reference)
    {
        var view = (await cluster.Grains.GetGrain<IMetaPolicyGrain>(runId).GetAsync())!;
        Assert.AreEqual(RunStatus.Completed, view.State.Status, $"{runId}: {view.State.Error}");
        var recorded = (await cluster.Grains.GetGrain<IMetaPolicyGrain>(runId).MetricsAsync(0)).Lines;
        Assert.AreEqual(reference.Lines.Count, recorded.Count, $"{runId}: one metric line per iteration");
        CollectionAssert.AreEqual(reference.Lines, recorded, $"{runId}: metric lines equal the uninterrupted run's");
        var bytes = (await cluster.Blobs.ReadFromAsync(RunBlobs.Metrics(runId), 0, CancellationToken.None))!;
        Assert.AreEqual(view.State.MetricsLength, bytes.Length, $"{runId}: nothing appended beyond the committed lines");
        var model = TensorArchive.FromBytes((await cluster.Blobs.ReadAsync(RunBlobs.Model(runId), CancellationToken.None))!.Content);
        CollectionAssert.AreEqual(reference.Parameters, model.GetBytes("final"), $"{runId}: final parameters equal the uninterrupted run's");
    }
}
