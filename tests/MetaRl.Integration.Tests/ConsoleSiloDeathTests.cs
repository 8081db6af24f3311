using System.Collections.Concurrent;
using MetaRl.Grains.Interfaces;
using MetaRl.Testing;

namespace MetaRl.Integration.Tests;

/// <summary>
/// The console while a silo dies: `metarl silos` and `metarl sweep show`, run over and over as separate
/// processes against three metarl-silo processes on Azurite, while one silo is SIGKILLed mid-training.
/// Every call answers (exit 0): a call that lands on the dead silo is retried, and `silos` lists a silo
/// it cannot reach as unreachable instead of failing.
/// </summary>
[TestClass]
[DoNotParallelize]
public sealed class ConsoleSiloDeathTests
{
    public TestContext TestContext { get; set; } = null!;

    private sealed record Call(string Command, DateTime Started, int Code, string Out, string Err);

    [TestMethod]
    [Timeout(1_200_000, CooperativeCancellation = true)]
    public async Task Silos_and_sweep_show_answer_while_silos_are_killed()
    {
        await using var cluster = new SiloCluster("console-kill");
        // Orleans' own default probe timeout: a dead silo stays listed as active for a while (the window these calls must get through).
        var slowProbes = new Dictionary<string, string> { ["CLUSTER__PROBETIMEOUT"] = "00:00:05" };
        for (int i = 0; i < 3; i++) cluster.StartSilo($"kill-{i}", checkpointEveryIterations: 50, extra: slowProbes);
        await cluster.ConnectAsync(silos: 3);
        // Runs that train through the whole test, two per silo.
        var spec = Sweeps.Sine("console-kill", iterations: 200_000, seeds: 3, methods: ["baseline", "roml"]);
        var result = await cluster.Grains.GetGrain<ISweepGrain>(spec.Name).SubmitAsync(spec);
        Assert.IsTrue(result.Accepted, string.Join("; ", result.Problems));
        await Until(async () => (await cluster.SiloViewsAsync()) is { Length: 3 } views && views.All(v => v.Training.Count > 0), cluster, "every silo trains a run");

        var calls = new ConcurrentQueue<Call>();
        using var stop = new CancellationTokenSource();
        var loops = new[]
        {
            Loop(cluster, ["silos"], calls, stop.Token),
            Loop(cluster, ["silos"], calls, stop.Token),
            Loop(cluster, ["sweep", "show", spec.Name], calls, stop.Token),
        };
        await Until(() => Task.FromResult(calls.Count >= 3), cluster, "a first answer from each command", loops);

        var kills = new List<(string Victim, DateTime Killed, DateTime Dead)>();
        for (int round = 0; round < 2; round++)
        {
            var training = (await cluster.SiloViewsAsync()).Where(v => v.Training.Count > 0).Select(v => v.Name).ToList();
            var victim = cluster.Silos.LastOrDefault(s => !s.HasExited && training.Contains(s.SiloName)) ?? cluster.Silos.Last(s => !s.HasExited);
            var killed = DateTime.UtcNow;
            victim.Kill();
            // Membership declares it dead, then each command answers again from then on.
            await Until(async () => (await ActiveAsync(cluster)) is { } active && !active.Contains(victim.SiloName), cluster, $"{victim.SiloName} declared dead", loops);
            var dead = DateTime.UtcNow;
            kills.Add((victim.SiloName, killed, dead));
            await Until(() => Task.FromResult(
                calls.Count(c => c.Command == "silos" && c.Started > dead) >= 2 && calls.Count(c => c.Command == "sweep" && c.Started > dead) >= 1),
                cluster, $"answers after {victim.SiloName} died", loops);
            // A machine takes its place.
            cluster.StartSilo($"kill-{3 + round}", checkpointEveryIterations: 50, extra: slowProbes);
            await Until(async () => (await ActiveAsync(cluster))?.Count == 3, cluster, "the replacement silo active", loops);
        }
        stop.Cancel();
        await Task.WhenAll(loops);

        var all = calls.ToList();
        string When(Call c) => string.Join("; ", kills.Select(k => $"{(c.Started - k.Killed).TotalSeconds:F1} s after {k.Victim} was killed (declared dead {(k.Dead - k.Killed).TotalSeconds:F1} s after)"));
        TestContext.WriteLine($"{all.Count} calls: " + string.Join("\n", all.Select(c => $"{c.Command} {c.Code} {When(c)}")));
        foreach (var c in all)
        {
            Assert.AreEqual(0, c.Code, $"metarl {c.Command}, {When(c)}:\n{c.Out}\n{c.Err}");
            StringAssert.Contains(c.Out, c.Command == "silos" ? "silo(s) in cluster" : $"sweep {spec.Name}:", When(c));
        }
        // After a death, `silos` lists the survivors; the dead one, if still listed, only as unreachable.
        var (lastVictim, _, lastDead) = kills[^1];
        var last = all.Last(c => c.Command == "silos" && c.Started > lastDead);
        Assert.IsTrue(last.Out.Split('\n').Where(l => l.Contains(lastVictim, StringComparison.Ordinal)).All(l => l.Contains("unreachable", StringComparison.Ordinal)), last.Out);
        Assert.IsTrue(all.Count(c => c.Started > kills[0].Killed) >= 6, "calls were made while silos died");
    }

    /// <summary>The names of the silos membership lists as active (null when the test's own client could not ask).</summary>
    private static async Task<List<string>?> ActiveAsync(SiloCluster cluster) =>
        (await SiloCluster.TryAsync(() => cluster.Grains.GetGrain<IManagementGrain>(0).GetDetailedHosts(onlyActive: true)!))?.Select(e => e.SiloName).ToList();

    /// <summary>Runs the command again and again (separate processes) until stopped, keeping every answer.</summary>
    private static Task Loop(SiloCluster cluster, string[] args, ConcurrentQueue<Call> calls, CancellationToken stop) => Task.Run(() =>
    {
        while (!stop.IsCancellationRequested)
        {
            var started = DateTime.UtcNow;
            var (code, output, error) = CliProcess.Run(cluster.Folder, [.. args, .. cluster.CliOptions], TimeSpan.FromMinutes(3));
            calls.Enqueue(new Call(args[0], started, code, output, error));
        }
    });

    /// <summary>Waits for the condition as long as the cluster makes progress towards it: fails only when a silo loop or the test's own timeout ends it.</summary>
    private async Task Until(Func<Task<bool>> condition, SiloCluster cluster, string what, Task[]? loops = null)
    {
        while (!await condition())
        {
            if (loops?.FirstOrDefault(l => l.IsFaulted) is { } failed) Assert.Fail($"waiting for {what}: a console loop failed: {failed.Exception}");
            if (TestContext.CancellationToken.IsCancellationRequested) Assert.Fail($"waiting for {what}: the test's time ran out\n{string.Join("\n---\n", cluster.Silos.Select(s => s.Tail(15)))}");
            if (cluster.Silos.Count(s => !s.HasExited) == 0) Assert.Fail($"waiting for {what}: every silo exited\n{string.Join("\n---\n", cluster.Silos.Select(s => s.Tail(15)))}");
            await Task.Delay(250);
        }
    }
}
