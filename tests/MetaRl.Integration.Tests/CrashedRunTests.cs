using MetaRl.Grains.Interfaces;
using MetaRl.Grains.Interfaces.State;
using MetaRl.Testing;

namespace MetaRl.Integration.Tests;

/// <summary>
/// A run that takes its silo down (the kernel's out-of-memory killer, a native crash) must not take
/// down silo after silo: after its silos died a set number of times in a row before it committed an
/// iteration, it fails with that reason; `metarl run resume` tries it again, and it then finishes
/// exactly as an uninterrupted run.
/// </summary>
[TestClass]
[DoNotParallelize]
public sealed class CrashedRunTests
{
    private static readonly Dictionary<string, string> Settings = new()
    {
        ["SILO__CRASHEDSTARTSLIMIT"] = "2",
        ["SILO__CHECKPOINTINTERVAL"] = "00:10:00", // nothing commits while the test kills its silos
    };

    [TestMethod]
    [Timeout(400_000, CooperativeCancellation = true)]
    public async Task A_run_whose_silos_die_before_it_commits_fails_with_the_reason_and_resume_finishes_it_exactly()
    {
        await using var cluster = new SiloCluster("crashed");
        cluster.StartSilo("silo-0", checkpointEveryIterations: 0, extra: Settings);
        await cluster.ConnectAsync(silos: 1);
        var spec = Sweeps.Sine("crashed", iterations: 1500, seeds: 1, methods: ["baseline"]);
        var submitted = await cluster.Grains.GetGrain<ISweepGrain>("crashed").SubmitAsync(spec);
        Assert.IsTrue(submitted.Accepted, string.Join("; ", submitted.Problems));
        var runId = submitted.Sweep!.Runs[0].RunId;
        var run = cluster.Grains.GetGrain<IMetaPolicyGrain>(runId);

        // Training, nothing committed: its silo dies.
        var first = await WaitAsync(run, s => s.Status == RunStatus.Running && s.Activations == 1, cluster);
        Assert.AreEqual(0, first.Iteration);
        cluster.Silos.Single(s => s.SiloName == first.Silo).Kill();
        // The next silo resumes it (its log says so at once; the client may wait on the dead silo's
        // directory entries for a while) and dies too before the run commits.
        var second = cluster.StartSilo("silo-1", checkpointEveryIterations: 0, extra: Settings);
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(120);
        while (!second.Output.Any(l => l.Contains($"Run {runId}: training on silo-1", StringComparison.Ordinal)))
        {
            Assert.IsTrue(DateTime.UtcNow < deadline, "silo-1 never resumed the run:\n" + second.Tail());
            await Task.Delay(20);
        }
        second.Kill();
        StringAssert.Contains(string.Join("\n", second.Output), "went away 1 time(s) in a row");
        cluster.StartSilo("silo-2", checkpointEveryIterations: 0, extra: Settings);

        var failed = await WaitAsync(run, s => s.Status == RunStatus.Failed, cluster);
        StringAssert.Contains(failed.Error, "went away 2 times in a row");
        StringAssert.Contains(failed.Error, "metarl run resume");
        Assert.AreEqual(2, failed.Activations, "not started a third time");
        var sweep = await cluster.WaitForSweepAsync("crashed", TimeSpan.FromMinutes(2));
        Assert.AreEqual(RunStatus.Failed, sweep.Ended[runId].Status);

        var resumed = CliProcess.Run(cluster.Folder, ["run", "resume", runId, .. cluster.CliOptions], TimeSpan.FromSeconds(60));
        Assert.AreEqual(0, resumed.Code, resumed.Out + resumed.Err);
        var done = await cluster.WaitForSweepAsync("crashed", TimeSpan.FromMinutes(3));
        Assert.AreEqual(1, done.Completed);
        await Exact.AssertAsync(cluster, runId, Sweeps.References(spec)[runId]);
    }

    private static async Task<RunState> WaitAsync(IMetaPolicyGrain run, Func<RunState, bool> condition, SiloCluster cluster)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(120);
        while (true)
        {
            var state = (await SiloCluster.TryAsync(() => run.GetAsync()))?.State;
            if (state is not null && condition(state)) return state;
            if (DateTime.UtcNow > deadline)
                Assert.Fail($"timed out; the run: {state?.Status} iteration {state?.Iteration} activations {state?.Activations} crashed starts {state?.CrashedStarts} error {state?.Error}\n"
                    + string.Join("\n---\n", cluster.Silos.Select(s => s.Tail())));
            await Task.Delay(100);
        }
    }
}
