using MetaRl.Grains.Interfaces;
using MetaRl.Grains.Interfaces.State;
using MetaRl.Testing;

namespace MetaRl.Integration.Tests;

/// <summary>A silo's death touches its own runs only: the runs training on the survivors keep their activations.</summary>
[TestClass]
[DoNotParallelize]
public sealed class SiloDeathScopeTests
{
    [TestMethod]
    [Timeout(480_000, CooperativeCancellation = true)]
    public async Task A_silo_death_leaves_the_runs_training_on_the_other_silos_where_they_are()
    {
        await using var cluster = new SiloCluster("deathscope");
        for (int i = 0; i < 3; i++) cluster.StartSilo($"silo-{i}", coreBudget: 3, checkpointEveryIterations: 100);
        await cluster.ConnectAsync(silos: 3);
        // Nine runs far longer than the test, three per silo: the six on the survivors are what a death must not touch
        // (with Orleans' default directory, each had about a one-in-three chance that the dead silo held its registration).
        var spec = Sweeps.Sine("deathscope", iterations: 200_000, seeds: 3, methods: ["baseline", "cvar-ml", "roml"]);
        var submitted = await cluster.Grains.GetGrain<ISweepGrain>(spec.Name).SubmitAsync(spec);
        Assert.IsTrue(submitted.Accepted, string.Join("; ", submitted.Problems));
        var runs = submitted.Sweep!.Runs.Select(r => r.RunId).ToList();

        // Every run training with committed progress, three on each silo.
        var before = await Progress.UntilAsync(cluster, runs, "every run training, three on each silo", async () =>
        {
            var views = new Dictionary<string, RunView>();
            foreach (var run in runs)
                if (await SiloCluster.TryAsync(() => cluster.Grains.GetGrain<IMetaPolicyGrain>(run).GetAsync()) is { State: { Status: RunStatus.Running, Iteration: > 0 } } v
                    && v.Live.Activity == "training")
                    views[run] = v;
            return views.Count == runs.Count && views.Values.GroupBy(v => v.Live.Silo).All(g => g.Count() == 3) ? views : null;
        });

        var victim = cluster.Silos.Single(s => s.SiloName == before[runs[1]].Live.Silo);
        var displaced = runs.Where(r => before[r].Live.Silo == victim.SiloName).ToList();
        var survivors = runs.Except(displaced).ToList();
        victim.Kill();
        cluster.StartSilo("silo-3", coreBudget: 3, checkpointEveryIterations: 100);

        // The dead silo's runs train again (on the new silo: the survivors' cores are taken).
        foreach (var run in displaced)
            await Progress.UntilAsync(cluster, runs, $"{run} training again after its silo died", async () =>
                await SiloCluster.TryAsync(() => cluster.Grains.GetGrain<IMetaPolicyGrain>(run).GetAsync()) is { State.Activations: >= 2, Live.Activity: "training" } v
                && v.Live.Silo != victim.SiloName ? v : null);

        foreach (var run in survivors)
        {
            var now = (await cluster.Grains.GetGrain<IMetaPolicyGrain>(run).GetAsync())!;
            Assert.AreEqual(before[run].State.Activations, now.State.Activations, $"{run} was deactivated by another silo's death");
            Assert.AreEqual(before[run].Live.Silo, now.Live.Silo, $"{run} moved");
            Assert.AreEqual("training", now.Live.Activity);
        }
        foreach (var silo in cluster.Silos.Where(s => !s.HasExited))
            Assert.IsFalse(silo.Output.Any(l => l.Contains("deactivating", StringComparison.Ordinal) && survivors.Any(r => l.Contains(r, StringComparison.Ordinal))),
                $"{silo.SiloName} let go of a run it trained:\n{silo.Tail(40)}");
    }
}
