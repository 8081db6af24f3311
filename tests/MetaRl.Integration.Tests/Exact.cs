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
        int differs = Enumerable.Range(0, recorded.Count).FirstOrDefault(i => reference.Lines[i] != recorded[i], -1);
        if (differs >= 0)
            Assert.Fail($"{runId}: metric line {differs + 1} differs from the uninterrupted run's (activations {view.State.Activations}, checkpoints {string.Join(", ", view.State.Checkpoints.Select(c => c.Folder))})\n  expected {reference.Lines[differs]}\n  recorded {recorded[differs]}");
        var bytes = (await cluster.Blobs.ReadFromAsync(RunBlobs.Metrics(runId), 0, CancellationToken.None))!;
        Assert.AreEqual(view.State.MetricsLength, bytes.Length, $"{runId}: nothing appended beyond the committed lines");
        var model = TensorArchive.FromBytes((await cluster.Blobs.ReadAsync(RunBlobs.Model(runId), CancellationToken.None))!.Content);
        var final = model.GetBytes("final");
        int byteDiffers = Enumerable.Range(0, Math.Min(final.Length, reference.Parameters.Length)).FirstOrDefault(i => final[i] != reference.Parameters[i], -1);
        Assert.IsTrue(byteDiffers < 0 && final.Length == reference.Parameters.Length,
            $"{runId}: final parameters differ from the uninterrupted run's at byte {byteDiffers} of {final.Length} (entry {EntryAt(reference.Parameters, byteDiffers)}; activations {view.State.Activations})");
    }

    /// <summary>The name of the archive entry that holds byte <paramref name="offset"/> of <paramref name="archive"/>'s bytes.</summary>
    private static string EntryAt(byte[] archive, int offset)
    {
        int position = 12;
        foreach (var e in TensorArchive.FromBytes(archive).Entries)
        {
            int length = 2 + System.Text.Encoding.UTF8.GetByteCount(e.Name) + 2 + 8 * e.Shape.Length + 8 + e.Data.Length;
            if (offset < position + length) return e.Name;
            position += length;
        }
        return "?";
    }
}
