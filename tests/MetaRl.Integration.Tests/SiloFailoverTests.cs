using MetaRl.Grains;
using MetaRl.Grains.Interfaces.State;
using MetaRl.Storage;
using MetaRl.Testing;

namespace MetaRl.Integration.Tests;

[TestClass]
public sealed class SiloFailoverTests
{
    [TestMethod]
    [Timeout(300_000, CooperativeCancellation = true)]
    public async Task A_silo_killed_at_random_moments_is_taken_over_and_the_run_ends_exactly_as_uninterrupted()
    {
        using var azurite = AzuriteProcess.Start();
        var store = new AzureBlobStore(azurite.ConnectionString, "metarl");
        await store.EnsureCreatedAsync(CancellationToken.None);
        var sweep = await new GrainFactory(store).Sweep("killed").SubmitAsync(Chaos.Sine("killed", 160, 1, ["roml"]), CancellationToken.None);
        var runId = sweep.Runs[0].RunId;
        var cwd = Chaos.TempFolder("killed");
        var random = new Random(20261121);
        var silos = new List<SiloProcess>();
        try
        {
            int lastIteration = -1;
            for (int kill = 0; kill < 3; kill++)
            {
                var silo = SiloProcess.Start($"killed-{kill}", cwd, Chaos.SiloSettings("azure", azurite.ConnectionString, exitWhenIdle: false));
                silos.Add(silo);
                // Wait until this silo owns the run and has committed progress, then kill it at a random moment.
                var state = await Chaos.WaitForAsync(store, runId, s => s.Owner == silo.SiloId && s.Iteration > lastIteration, TimeSpan.FromSeconds(90), () => string.Join("\n", silo.Output.TakeLast(20)));
                await Task.Delay(random.Next(200, 1500));
                silo.Kill();
                var after = (await new GrainFactory(store).Run(runId).GetAsync(CancellationToken.None))!;
                Assert.AreNotEqual(RunStatus.Completed, after.Status, "the run must still be in progress when killed (make it longer)");
                lastIteration = after.Iteration;
            }
            var last = SiloProcess.Start("killed-final", cwd, Chaos.SiloSettings("azure", azurite.ConnectionString, exitWhenIdle: true));
            silos.Add(last);
            Assert.IsTrue(last.WaitForExit(TimeSpan.FromMinutes(3)), "the last silo finishes the run and exits when idle:\n" + string.Join("\n", last.Output.TakeLast(30)));
            await Chaos.AssertExactAsync(store, runId);
            var final = (await new GrainFactory(store).Run(runId).GetAsync(CancellationToken.None))!;
            Assert.AreEqual(4, final.Activations, "three kills, four owners");
        }
        finally
        {
            foreach (var s in silos) s.Dispose();
        }
    }

    [TestMethod]
    [Timeout(300_000, CooperativeCancellation = true)]
    public async Task Two_silo_processes_racing_execute_and_record_every_iteration_exactly_once()
    {
        var data = Chaos.TempFolder("race-data");
        var store = new FileBlobStore(data, "metarl");
        await store.EnsureCreatedAsync(CancellationToken.None);
        var sweep = await new GrainFactory(store).Sweep("race").SubmitAsync(Chaos.Sine("race", 25, 3, ["baseline", "roml"]), CancellationToken.None);
        var cwd = Chaos.TempFolder("race");
        using var a = SiloProcess.Start("race-a", cwd, Chaos.SiloSettings("local", data, exitWhenIdle: true));
        using var b = SiloProcess.Start("race-b", cwd, Chaos.SiloSettings("local", data, exitWhenIdle: true));
        Assert.IsTrue(a.WaitForExit(TimeSpan.FromMinutes(4)), string.Join("\n", a.Output.TakeLast(20)));
        Assert.IsTrue(b.WaitForExit(TimeSpan.FromMinutes(4)), string.Join("\n", b.Output.TakeLast(20)));

        var owners = new HashSet<string>();
        foreach (var run in sweep.Runs)
        {
            await Chaos.AssertExactAsync(store, run.RunId);
            var state = (await new GrainFactory(store).Run(run.RunId).GetAsync(CancellationToken.None))!;
            Assert.AreEqual(1, state.Activations, $"{run.RunId} ran on one silo, once");
        }
        // Executed once: each (run, iteration) span appears exactly once across both silos' telemetry.
        var spans = Directory.GetFiles(Path.Combine(data, "telemetry"), "race-*.jsonl")
            .SelectMany(File.ReadLines)
            .Select(l => System.Text.Json.JsonDocument.Parse(l).RootElement)
            .Where(e => e.GetProperty("type").GetString() == "span" && e.GetProperty("name").GetString() == "run.iteration")
            .Select(e => (Run: e.GetProperty("tags").GetProperty("run.id").GetString(), It: e.GetProperty("tags").GetProperty("run.iteration").GetString()))
            .ToList();
        Assert.AreEqual(sweep.Runs.Count * 25, spans.Count, "iterations executed");
        Assert.AreEqual(spans.Count, spans.Distinct().Count(), "no iteration executed twice");
        foreach (var s in new[] { a, b }) owners.UnionWith(s.Output.Where(l => l.Contains("claimed")).Select(_ => s.SiloId));
        Assert.AreEqual(2, owners.Count, "both silos took part");
        var complete = await new GrainFactory(store).Sweep("race").GetAsync(CancellationToken.None);
        Assert.IsTrue(complete!.Complete);
    }
}
