using System.Text.Json;
using MetaRl.Testing;

namespace MetaRl.Integration.Tests;

/// <summary>Two different specs submitted under one name at the same moment, by two console processes on one data folder.</summary>
[TestClass]
[DoNotParallelize]
public sealed class ConcurrentSubmissionTests
{
    [TestMethod]
    [Timeout(300_000, CooperativeCancellation = true)]
    public void Exactly_one_of_two_racing_specs_wins_and_the_stored_sweep_is_entirely_the_winner_s()
    {
        var folder = Sweeps.TempFolder("race");
        var data = Path.Combine(folder, "data");
        for (int trial = 0; trial < 4; trial++)
        {
            string name = $"race{trial}";
            var a = Sweeps.Sine(name, iterations: 2, seeds: 1, methods: ["baseline"]);
            var b = Sweeps.Sine(name, iterations: 2, seeds: 2, methods: ["baseline", "roml"]);
            var dirA = Directory.CreateDirectory(Path.Combine(folder, $"a{trial}")).FullName;
            var dirB = Directory.CreateDirectory(Path.Combine(folder, $"b{trial}")).FullName;
            string[] runsA = [$"{name}-baseline-s1"];
            string[] runsB = [$"{name}-baseline-s1", $"{name}-baseline-s2", $"{name}-roml-a0.2-s1", $"{name}-roml-a0.2-s2"];
            using var first = CliProcess.Start(folder, ["sweep", "submit", Sweeps.Write(a, dirA), "--data", data]);
            using var second = CliProcess.Start(folder, ["sweep", "submit", Sweeps.Write(b, dirB), "--data", data]);
            Assert.IsTrue(first.WaitForExit(TimeSpan.FromMinutes(2)) && second.WaitForExit(TimeSpan.FromMinutes(2)), "both submissions end");
            var codes = new[] { first.ExitCode, second.ExitCode };
            CollectionAssert.AreEquivalent(new[] { 0, 2 }, codes, $"trial {trial}: exactly one wins\nA: {first.Stdout}\n{first.Stderr}\nB: {second.Stdout}\n{second.Stderr}");
            var loser = first.ExitCode == 2 ? first : second;
            StringAssert.Contains(loser.Stderr, "different spec");
            Assert.IsFalse(loser.Stderr.Contains("internal error", StringComparison.Ordinal));

            var winnerRuns = first.ExitCode == 0 ? runsA : runsB;
            var show = CliProcess.Run(folder, ["sweep", "show", name, "--data", data, "--json"], TimeSpan.FromMinutes(1));
            Assert.AreEqual(0, show.Code, show.Err);
            using var doc = JsonDocument.Parse(show.Out);
            var stored = doc.RootElement.GetProperty("sweep");
            Assert.AreEqual(first.ExitCode == 0 ? 1 : 2, stored.GetProperty("spec").GetProperty("seeds").GetInt32(), "the stored spec is the winner's");
            CollectionAssert.AreEquivalent(winnerRuns, stored.GetProperty("runs").EnumerateArray().Select(r => r.GetProperty("runId").GetString()).ToArray());
            // No run of the loser's spec exists in storage.
            var runStates = Directory.Exists(Path.Combine(data, "grainstate", "metapolicy"))
                ? Directory.GetDirectories(Path.Combine(data, "grainstate", "metapolicy")).Select(Path.GetFileName).Where(d => d!.StartsWith(name + "-", StringComparison.Ordinal)).ToArray()
                : [];
            Assert.IsTrue(runStates.All(r => winnerRuns.Contains(r)), $"stored runs {string.Join(", ", runStates)}; winner's {string.Join(", ", winnerRuns)}");
        }
    }
}
