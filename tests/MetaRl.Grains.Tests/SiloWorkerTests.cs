using MetaRl.Grains.Execution;
using MetaRl.Grains.Hosting;
using MetaRl.Grains.Interfaces;
using MetaRl.Grains.Interfaces.State;

namespace MetaRl.Grains.Tests;

[TestClass]
public sealed class SiloWorkerTests
{
    private static SiloOptions Options(string id, int gpus) => new()
    {
        SiloId = id,
        CoreBudget = 1,
        Gpus = gpus,
        ExitWhenIdle = true,
        PollInterval = TimeSpan.FromMilliseconds(100),
        Executor = new ExecutorOptions { LeaseDuration = TimeSpan.FromSeconds(15), LeaseRenewal = TimeSpan.FromSeconds(5), CheckpointEveryIterations = 2 },
    };

    [TestMethod]
    public async Task A_run_that_needs_a_gpu_is_left_to_gpu_silos()
    {
        var (store, _) = TestStores.Local();
        var spec = TestStores.TinySine("gpu", iterations: 4, seeds: 1, methods: ["baseline"]) with { Resources = new Interfaces.Specs.SweepResources { Gpu = true } };
        var sweep = await new GrainFactory(store).Sweep("gpu").SubmitAsync(spec, CancellationToken.None);
        var runId = sweep.Runs[0].RunId;

        var cpuSilo = new SiloWorker(store, Options("cpu-silo", gpus: 0), _ => { });
        await cpuSilo.RunAsync(new CancellationTokenSource(TimeSpan.FromSeconds(20)).Token);
        Assert.AreEqual(0, cpuSilo.Outcomes.Count);
        Assert.AreEqual(RunStatus.Pending, (await new GrainFactory(store).Run(runId).GetAsync(CancellationToken.None))!.Status);

        var gpuSilo = new SiloWorker(store, Options("gpu-silo", gpus: 1), _ => { });
        await gpuSilo.RunAsync(new CancellationTokenSource(TimeSpan.FromMinutes(1)).Token);
        CollectionAssert.AreEqual(new[] { (runId, RunOutcome.Completed) }, gpuSilo.Outcomes);
    }

    [TestMethod]
    public async Task A_silo_runs_no_more_at_once_than_its_core_budget_and_heartbeats_its_capabilities()
    {
        var (store, _) = TestStores.Local();
        var sweep = await new GrainFactory(store).Sweep("budget").SubmitAsync(TestStores.TinySine("budget", iterations: 6, seeds: 2), CancellationToken.None);
        var options = Options("budget-silo", gpus: 0) with { CoreBudget = 2 };
        var worker = new SiloWorker(store, options, _ => { });
        int maxConcurrent = 0;
        using var stop = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        var watcher = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                var beat = (await store.ReadAsync<SiloHeartbeat>(StoragePaths.Silo("budget-silo"), CancellationToken.None))?.Value;
                if (beat is not null) maxConcurrent = Math.Max(maxConcurrent, beat.CoresInUse);
                await Task.Delay(50);
            }
        });
        await worker.RunAsync(stop.Token);
        stop.Cancel();
        await watcher.ContinueWith(_ => { });
        Assert.AreEqual(sweep.Runs.Count, worker.Outcomes.Count(o => o.Outcome == RunOutcome.Completed));
        Assert.IsTrue(maxConcurrent <= 2, $"cores in use peaked at {maxConcurrent}");
        var last = (await store.ReadAsync<SiloHeartbeat>(StoragePaths.Silo("budget-silo"), CancellationToken.None))!.Value;
        Assert.IsTrue(last.Stopping);
        Assert.AreEqual(2, last.CoreBudget);
        Assert.AreEqual(Environment.ProcessorCount, last.Cores);
    }

    [TestMethod]
    public async Task A_silo_outlives_a_storage_outage_in_its_work_loop_and_then_finishes_the_run()
    {
        var (local, _) = TestStores.Local();
        var store = new InterceptingStore(local);
        var sweep = await new GrainFactory(store).Sweep("outage").SubmitAsync(TestStores.TinySine("outage", iterations: 4, seeds: 1, methods: ["baseline"]), CancellationToken.None);
        var log = new List<string>();
        var worker = new SiloWorker(store, Options("outage-silo", gpus: 0), m => { lock (log) log.Add(m); });
        store.FailingLists = 3;
        await worker.RunAsync(new CancellationTokenSource(TimeSpan.FromMinutes(1)).Token);
        CollectionAssert.AreEqual(new[] { (sweep.Runs[0].RunId, RunOutcome.Completed) }, worker.Outcomes);
        Assert.AreEqual(3, log.Count(l => l.Contains("storage failed in the work loop", StringComparison.Ordinal)), string.Join("\n", log));
    }
}
