using MetaRl.Grains.Interfaces.State;

namespace MetaRl.Grains.Tests;

[TestClass]
public sealed class PlacementTests
{
    [TestMethod]
    [Timeout(240_000, CooperativeCancellation = true)]
    public async Task A_silo_never_trains_more_runs_at_once_than_its_core_budget()
    {
        await using var silos = await TestSilos.StartAsync();
        await silos.SubmitAsync(TestSilos.TinySine("budget", iterations: 120, seeds: 3, methods: ["baseline"]));
        var silo = (await silos.SilosAsync()).Single();
        Assert.AreEqual(1, silo.Training.Count, "one run trains");
        Assert.AreEqual(2, silo.Waiting.Count, "the others wait for room");
        await silos.WaitForSweepAsync("budget");
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        do
        {
            silo = (await silos.SilosAsync()).Single();
            if (silo.CoresInUse == 0) break;
            await Task.Delay(50); // the last run lets go of its cores right after it reported its end
        }
        while (DateTime.UtcNow < deadline);
        Assert.AreEqual(1, silo.PeakCoresInUse, "never more than the budget at once");
        Assert.AreEqual(0, silo.CoresInUse);
    }

    [TestMethod]
    [Timeout(240_000, CooperativeCancellation = true)]
    public async Task A_sweeps_runs_spread_over_the_silos_and_both_train_from_the_start()
    {
        await using var silos = await TestSilos.StartAsync(silos: 2);
        var sweep = await silos.SubmitAsync(TestSilos.TinySine("spread", iterations: 150, seeds: 4, methods: ["baseline", "roml"]));
        Assert.AreEqual(8, sweep.Runs.Count);
        var views = await silos.SilosAsync();
        foreach (var v in views)
        {
            Assert.AreEqual(1, v.Training.Count, $"{v.Name} trains from the start");
            Assert.AreEqual(4, v.Training.Count + v.Waiting.Count, $"{v.Name} got half of the runs");
        }
        var done = await silos.WaitForSweepAsync("spread");
        var trainedOn = new HashSet<string>();
        foreach (var r in sweep.Runs) trainedOn.Add((await silos.Run(r.RunId).GetAsync())!.State.Silo!);
        Assert.AreEqual(2, trainedOn.Count, "runs trained on both silos");
        Assert.AreEqual(8, done.Completed);
    }

    [TestMethod]
    [Timeout(240_000, CooperativeCancellation = true)]
    public async Task A_run_waiting_for_room_moves_to_a_silo_that_joins_with_room()
    {
        await using var silos = await TestSilos.StartAsync();
        var sweep = await silos.SubmitAsync(TestSilos.TinySine("joined", iterations: 400, seeds: 3, methods: ["baseline"]));
        Assert.AreEqual(2, (await silos.SilosAsync()).Single().Waiting.Count);
        await silos.Cluster.StartAdditionalSiloAsync();
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (true)
        {
            var views = await silos.SilosAsync();
            if (views.Length == 2 && views.All(v => v.Training.Count == 1)) break;
            Assert.IsTrue(DateTime.UtcNow < deadline, "a waiting run moved to the new silo: " + string.Join("; ", views.Select(v => $"{v.Name}: {v.Training.Count} training, {v.Waiting.Count} waiting")));
            await Task.Delay(100);
        }
        await silos.WaitForSweepAsync("joined");
        foreach (var r in sweep.Runs) await silos.AssertMatchesReferenceAsync(r.RunId);
    }

    [TestMethod]
    [Timeout(240_000, CooperativeCancellation = true)]
    public async Task A_run_that_needs_a_gpu_is_placed_only_on_a_silo_that_has_one()
    {
        await using var silos = await TestSilos.StartAsync(silos: 2, settings: i => new() { ["Silo:Gpus"] = i == 1 ? "1" : "0", ["Silo:CoreBudget"] = "2" });
        var gpuSilo = (await silos.SilosAsync()).Single(s => s.Gpus == 1).Name;
        var sweep = await silos.SubmitAsync(TestSilos.TinySine("gpu", iterations: 6, seeds: 2, gpu: true));
        await silos.WaitForSweepAsync("gpu");
        foreach (var r in sweep.Runs)
        {
            var view = (await silos.Run(r.RunId).GetAsync())!;
            Assert.AreEqual(RunStatus.Completed, view.State.Status);
            Assert.AreEqual(gpuSilo, view.State.Silo, $"{r.RunId} trained on the GPU silo");
        }
    }

    [TestMethod]
    [Timeout(240_000, CooperativeCancellation = true)]
    public async Task A_run_is_placed_only_on_a_silo_that_offers_its_memory_floor()
    {
        // Each run's floor is 5 tasks × 3 copies × 321 parameters × 4 bytes ≈ 19 KB; silo 0 offers 10 KB.
        await using var silos = await TestSilos.StartAsync(silos: 2, settings: i => new() { ["Silo:MemoryBytes"] = i == 0 ? "10000" : "0", ["Silo:CoreBudget"] = "2" });
        var views = await silos.SilosAsync();
        var small = views.Single(s => s.MemoryBytes == 10000).Name;
        var large = views.Single(s => s.MemoryBytes > 10000).Name;
        var sweep = await silos.SubmitAsync(TestSilos.TinySine("memory", iterations: 6, seeds: 3));
        await silos.WaitForSweepAsync("memory");
        foreach (var r in sweep.Runs)
        {
            var view = (await silos.Run(r.RunId).GetAsync())!;
            Assert.AreEqual(RunStatus.Completed, view.State.Status);
            Assert.AreEqual(large, view.State.Silo, $"{r.RunId} trained on {view.State.Silo}, not on {small}, which offers less than its floor");
        }
    }
}
