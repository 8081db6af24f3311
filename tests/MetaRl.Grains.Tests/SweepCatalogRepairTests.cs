using MetaRl.Grains.Interfaces;
using MetaRl.Grains.Interfaces.State;

namespace MetaRl.Grains.Tests;

/// <summary>
/// The catalog cannot lose a sweep: a submission stopped right after storing the sweep (the catalog
/// never heard of it) still has its sweep listed, woken by failover and recorded.
/// </summary>
[TestClass]
public sealed class SweepCatalogRepairTests
{
    [TestMethod]
    [Timeout(240_000, CooperativeCancellation = true)]
    public async Task Failover_wakes_and_records_a_stored_sweep_the_catalog_never_heard_of()
    {
        // The silo trains another sweep only, so that this one stays unfinished.
        await using var silos = await TestSilos.StartAsync(settings: _ => new() { ["Silo:OnlySweep"] = "another" });
        await silos.SubmitAsync(TestSilos.TinySine("unheard", iterations: 4, seeds: 1));
        var catalog = silos.Grains.GetGrain<ISweepCatalogGrain>(ISweepCatalogGrain.Key);
        await ForgetAsync(silos, catalog);

        Assert.AreEqual(1, await catalog.WakeAllAsync(), "failover wakes the stored sweep");
        Assert.IsTrue((await catalog.ListAsync()).Single(s => s.Id == "unheard") is { Runs: 2, Finished: false, Problem: null });
        StringAssert.Contains(await File.ReadAllTextAsync(CatalogFile(silos)), "\"unheard\"", "and records it, so that the next failover finds it too");

        await ForgetAsync(silos, catalog);
        var again = await silos.Grains.GetGrain<ISweepGrain>("unheard").SubmitAsync(TestSilos.TinySine("unheard", iterations: 4, seeds: 1));
        Assert.AreEqual(SubmitOutcome.Unchanged, again.Outcome);
        StringAssert.Contains(await File.ReadAllTextAsync(CatalogFile(silos)), "\"unheard\"", "submitting it again records it");
    }

    private static string CatalogFile(TestSilos silos) => Path.Combine(silos.Data, "grainstate", "sweepcatalog", "all", "catalog");

    /// <summary>What an interrupted submission leaves: the sweep stored, no catalog entry (the catalog's activation gone, its record deleted).</summary>
    private static async Task ForgetAsync(TestSilos silos, ISweepCatalogGrain catalog)
    {
        var management = silos.Grains.GetGrain<IManagementGrain>(0);
        await management.DeactivateGrain(catalog.GetGrainId());
        for (int i = 0; await management.GetGrainActivationCount((GrainReference)catalog) > 0; i++)
        {
            Assert.IsLessThan(500, i, "the catalog's activation did not go away");
            await Task.Delay(20);
        }
        File.Delete(CatalogFile(silos));
    }
}
