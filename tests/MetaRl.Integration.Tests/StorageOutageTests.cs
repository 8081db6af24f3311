using MetaRl.Grains;
using MetaRl.Storage;
using MetaRl.Testing;

namespace MetaRl.Integration.Tests;

[TestClass]
public sealed class StorageOutageTests
{
    [TestMethod]
    [Timeout(300_000, CooperativeCancellation = true)]
    public async Task Azurite_stopped_and_restarted_mid_run_loses_and_duplicates_nothing()
    {
        using var azurite = AzuriteProcess.Start();
        var store = new AzureBlobStore(azurite.ConnectionString, "metarl");
        await store.EnsureCreatedAsync(CancellationToken.None);
        var sweep = await new GrainFactory(store).Sweep("outage").SubmitAsync(Chaos.Sine("outage", 120, 1, ["roml"]), CancellationToken.None);
        var runId = sweep.Runs[0].RunId;
        var cwd = Chaos.TempFolder("outage");
        using var silo = SiloProcess.Start("outage", cwd, Chaos.SiloSettings("azure", azurite.ConnectionString, exitWhenIdle: true));
        await Chaos.WaitForAsync(store, runId, s => s.Iteration >= 10, TimeSpan.FromSeconds(90), () => string.Join("\n", silo.Output.TakeLast(20)));
        azurite.StopGracefully();
        await Task.Delay(TimeSpan.FromSeconds(5));
        azurite.Restart();
        Assert.IsTrue(silo.WaitForExit(TimeSpan.FromMinutes(3)), "the silo finishes the run after the outage:\n" + string.Join("\n", silo.Output.TakeLast(30)));
        await Chaos.AssertExactAsync(store, runId);
    }
}
