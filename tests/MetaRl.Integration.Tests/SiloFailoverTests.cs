using System.Text.Json;
using MetaRl.Grains.Interfaces;
using MetaRl.Grains.Interfaces.State;
using MetaRl.Testing;

namespace MetaRl.Integration.Tests;

[TestClass]
[DoNotParallelize]
public sealed class SiloFailoverTests
{
    [TestMethod]
    [Timeout(900_000, CooperativeCancellation = true)]
    public async Task Silos_killed_at_random_moments_leave_every_run_of_the_sweep_exactly_as_uninterrupted()
    {
        // A core's worth of competing work beside the silos: exactness must not depend on timing.
        using var load = new CpuContention();
        await using var cluster = new SiloCluster("failover");
        // Runs of ~6000 iterations (a few ms each) last long enough on 2 cores that three kills in a row
        // each find one still training; a checkpoint every 100 iterations.
        for (int i = 0; i < 3; i++) cluster.StartSilo($"silo-{i}", checkpointEveryIterations: 100);
        await cluster.ConnectAsync(silos: 3);

        var spec = Sweeps.Sine("failover", iterations: 6000, seeds: 3, methods: ["baseline", "roml"]);
        var (code, output, error) = CliProcess.Run(cluster.Folder, ["sweep", "submit", Sweeps.Write(spec, cluster.Folder), .. cluster.CliOptions], TimeSpan.FromSeconds(60));
        Assert.AreEqual(0, code, output + error);
        StringAssert.Contains(output, "6 runs submitted");

        var runs = MetaRl.Grains.SweepExpansion.Expand(spec).Select(r => r.Run.RunId).ToList();
        var random = new Random(20261130);
        int started = 3;
        var interrupted = new List<List<string>>(); // per kill: the runs its victim was training
        for (int kill = 0; kill < 3; kill++)
        {
            // A silo that trains a run with committed progress and well short of its end, killed at a random
            // moment; re-checked just before the kill, since a run can finish during the random wait.
            var victimView = await Progress.UntilAsync(cluster, runs, "a silo training a run with committed progress", async () =>
            {
                var withProgress = new List<SiloView>();
                foreach (var v in (await cluster.SiloViewsAsync()).Where(v => v.Training.Count > 0))
                    if (await MidRunAsync(cluster, v.Training[0], lastIteration: 5000)) withProgress.Add(v);
                if (withProgress.Count == 0) return null;
                var candidate = withProgress[random.Next(withProgress.Count)];
                await Task.Delay(random.Next(100, 1500));
                return await MidRunAsync(cluster, candidate.Training[0], lastIteration: 5900) ? candidate : null;
            });
            var sweep = await SiloCluster.TryAsync(() => cluster.Grains.GetGrain<ISweepGrain>("failover").GetAsync());
            Assert.IsFalse(sweep?.Complete ?? false, "the sweep must still be training when a silo dies (make its runs longer)");
            var victim = cluster.Silos.Single(s => s.SiloName == victimView.Name && !s.HasExited);
            victim.Kill();
            interrupted.Add([.. victimView.Training]);
            Console.WriteLine($"{DateTime.UtcNow:HH:mm:ss.fff} killed {victim.SiloName} (training {string.Join(", ", victimView.Training)})");

            if (kill == 1)
            {
                // A separate console process asks a run how it is doing while the cluster trains (and has just lost a silo).
                var runId = spec.Name + "-roml-a0.2-s1";
                var show = CliProcess.Run(cluster.Folder, ["run", "show", runId, "--json", .. cluster.CliOptions], TimeSpan.FromSeconds(60));
                Assert.AreEqual(0, show.Code, show.Out + show.Err + "\n" + Membership(cluster));
                var json = JsonDocument.Parse(show.Out).RootElement;
                Assert.AreEqual(runId, json.GetProperty("state").GetProperty("id").GetString());
            }
            cluster.StartSilo($"silo-{started++}", checkpointEveryIterations: 100);
        }

        var done = await Progress.UntilAsync(cluster, runs, "the sweep to complete", async () =>
            await SiloCluster.TryAsync(() => cluster.Grains.GetGrain<ISweepGrain>("failover").GetAsync()) is { Complete: true } state ? state : null);
        Assert.AreEqual(6, done.Completed);
        var references = Sweeps.References(spec);
        var activations = new Dictionary<string, int>();
        foreach (var run in done.Runs)
        {
            await Exact.AssertAsync(cluster, run.RunId, references[run.RunId]);
            activations[run.RunId] = (await cluster.Grains.GetGrain<IMetaPolicyGrain>(run.RunId).GetAsync())!.State.Activations;
        }
        // Each kill interrupted a run that another silo then resumed (its view may list a run that had just moved: one of them suffices).
        for (int k = 0; k < interrupted.Count; k++)
            Assert.IsTrue(interrupted[k].Any(r => activations.GetValueOrDefault(r) >= 2),
                $"kill {k}: none of {string.Join(", ", interrupted[k])} was resumed elsewhere ({string.Join(", ", activations.Select(a => $"{a.Key}: {a.Value}"))})");
    }

    /// <summary>Whether a run is training with committed progress, at most <paramref name="lastIteration"/> iterations in.</summary>
    private static async Task<bool> MidRunAsync(SiloCluster cluster, string runId, int lastIteration)
    {
        var state = (await SiloCluster.TryAsync(() => cluster.Grains.GetGrain<IMetaPolicyGrain>(runId).GetAsync()))?.State;
        return state is { Status: RunStatus.Running, Iteration: > 0 } && state.Iteration <= lastIteration;
    }

    /// <summary>What each silo said about membership (for a failure's message).</summary>
    private static string Membership(SiloCluster cluster) => string.Join("\n---\n", cluster.Silos.Select(s =>
        $"{s.SiloName} ({(s.HasExited ? "killed" : "alive")}):\n" + string.Join("\n", s.Output.Where(l => l.Contains("Evicting") || l.Contains("Will watch") || l.Contains("suspect", StringComparison.OrdinalIgnoreCase) || l.Contains("SiloAddress=")).Select(l => l.Length > 300 ? l[..300] : l))));

    [TestMethod]
    [Timeout(300_000, CooperativeCancellation = true)]
    public async Task Azurite_stopped_and_restarted_mid_sweep_loses_and_duplicates_nothing()
    {
        await using var cluster = new SiloCluster("outage");
        var silo = cluster.StartSilo("outage", coreBudget: 2);
        await cluster.ConnectAsync(silos: 1);
        var spec = Sweeps.Sine("outage", iterations: 700, seeds: 1, methods: ["baseline", "roml"]);
        var result = await cluster.Grains.GetGrain<ISweepGrain>("outage").SubmitAsync(spec);
        Assert.IsTrue(result.Accepted, string.Join("; ", result.Problems));
        var runId = result.Sweep!.Runs[^1].RunId;
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(90);
        while ((await cluster.Grains.GetGrain<IMetaPolicyGrain>(runId).GetAsync())!.State.Iteration < 40)
        {
            Assert.IsTrue(DateTime.UtcNow < deadline, silo.Tail());
            await Task.Delay(100);
        }
        cluster.Azurite.StopGracefully();
        await Task.Delay(TimeSpan.FromSeconds(5));
        cluster.Azurite.Restart();
        var done = await cluster.WaitForSweepAsync("outage", TimeSpan.FromMinutes(3));
        Assert.AreEqual(2, done.Completed, silo.Tail());
        var references = Sweeps.References(spec);
        foreach (var run in done.Runs) await Exact.AssertAsync(cluster, run.RunId, references[run.RunId]);
        Assert.IsFalse(silo.HasExited, "the silo outlived the outage");
    }

    [TestMethod]
    [Timeout(120_000, CooperativeCancellation = true)]
    public async Task A_console_pointed_at_a_cluster_that_is_not_there_fails_fast_and_says_what_it_tried()
    {
        using var azurite = AzuriteProcess.Start();
        var folder = Sweeps.TempFolder("nocluster");
        var watch = System.Diagnostics.Stopwatch.StartNew();
        var (code, _, err) = CliProcess.Run(folder, ["sweep", "list", "--storage", "azure", "--connection-string", azurite.ConnectionString, "--cluster-id", "nobody"], TimeSpan.FromSeconds(60));
        Assert.AreEqual(2, code, err);
        StringAssert.Contains(err, "no cluster answered");
        StringAssert.Contains(err, "cluster 'nobody'");
        StringAssert.Contains(err, $"127.0.0.1:{azurite.TablePort}");
        Assert.IsTrue(watch.Elapsed < TimeSpan.FromSeconds(30), $"took {watch.Elapsed}");

        var closed = azurite.ConnectionString.Replace($":{azurite.TablePort}/", $":{FreePort.Pick()}/", StringComparison.Ordinal);
        (code, _, err) = CliProcess.Run(folder, ["run", "show", "some-run", "--storage", "azure", "--connection-string", closed], TimeSpan.FromSeconds(60));
        Assert.AreEqual(2, code, err);
        StringAssert.Contains(err, "no cluster answered");
    }
}
