using System.Text.Json;
using MetaRl.Grains;
using MetaRl.Grains.Interfaces;
using MetaRl.Grains.Interfaces.Specs;
using MetaRl.Grains.Interfaces.State;
using MetaRl.Testing;

namespace MetaRl.Integration.Tests;

/// <summary>
/// The console as a researcher uses it against a running cluster (Azurite and a metarl-silo process):
/// submit, watch (not a terminal), ask every kind of grain, report (numbers checked against the stored
/// per-task returns, the HTML opened in headless Chromium), pause, resume and cancel.
/// </summary>
[TestClass]
[DoNotParallelize]
public sealed class ConsoleClusterTests
{
    public TestContext TestContext { get; set; } = null!;

    private static SweepSpec SineSweep(string name, int iterations, int seeds) => new()
    {
        Name = name,
        Family = "Sine",
        Learner = "maml",
        Methods = ["baseline", "roml"],
        Alpha = [0.2],
        Seeds = seeds,
        Budget = new SweepBudget { Iterations = iterations },
        Evaluation = new SweepEvaluation { TestTasks = 30, ValidationTasks = 8, ValidateEvery = 10 },
        Run = JsonDocument.Parse("""{"metaBatch": 10, "supervised": {"hidden": [32, 32], "innerSteps": 3}, "cem": {"batchSize": 20, "originalFraction": 0.2}}""").RootElement,
    };

    /// <summary>One small MQL run: its tail test tasks get propensity grains.</summary>
    private static SweepSpec MqlSweep(string name) => new()
    {
        Name = name,
        Family = "Point-Robot",
        Learner = "mql",
        Methods = ["baseline"],
        Alpha = [0.5],
        Seeds = 1,
        Budget = new SweepBudget { Iterations = 40 },
        Evaluation = new SweepEvaluation { TestTasks = 6, ValidationTasks = 2, ValidateEvery = 0 },
        Run = JsonDocument.Parse("""
            {"metaBatch": 3, "mql": {"hidden": [32, 32], "batchSize": 32, "burnInSteps": 100, "history": 4, "contextWidth": 4, "trainingTasks": 3,
             "replayPerTask": 256, "segmentSize": 64, "adaptationSteps": 20, "propensityReplaySamples": 64, "adaptationPhase1Steps": 2, "adaptationPhase2Steps": 5}}
            """).RootElement,
    };

    private static (int Code, string Out, string Err) Cli(SiloCluster cluster, params string[] args) =>
        CliProcess.Run(cluster.Folder, [.. args, .. cluster.CliOptions], TimeSpan.FromMinutes(4));

    private static string Ok(SiloCluster cluster, params string[] args)
    {
        var (code, output, error) = Cli(cluster, args);
        Assert.AreEqual(0, code, $"metarl {string.Join(' ', args)}:\n{output}\n{error}");
        return output;
    }

    [TestMethod]
    [Timeout(600_000, CooperativeCancellation = true)]
    public async Task Submit_watch_show_every_grain_and_report_through_the_cluster()
    {
        await using var cluster = new SiloCluster("console");
        cluster.StartSilo("console-silo", coreBudget: 2, checkpointEveryIterations: 10);
        await cluster.ConnectAsync(silos: 1);

        var sine = SineSweep("console-sine", iterations: 40, seeds: 2);
        var mql = MqlSweep("console-mql");
        StringAssert.Contains(Ok(cluster, "sweep", "submit", Sweeps.Write(sine, cluster.Folder)), "4 runs submitted");
        StringAssert.Contains(Ok(cluster, "sweep", "submit", Sweeps.Write(mql, cluster.Folder)), "1 runs submitted");

        // Watch, not on a terminal: plain periodic lines, ending when every run ended.
        var watch = Ok(cluster, "sweep", "watch", "console-sine", "--interval", "0.5");
        StringAssert.Contains(watch, "console-sine: 4/4 complete");
        StringAssert.Contains(watch, "every run completed");
        Assert.IsFalse(watch.Contains('\u001b'), "no terminal escapes when the output is not a terminal");
        var watchJson = Ok(cluster, "sweep", "watch", "console-sine", "--json").Split('\n', StringSplitOptions.RemoveEmptyEntries);
        using (var last = JsonDocument.Parse(watchJson[^1]))
        {
            Assert.AreEqual(4, last.RootElement.GetProperty("runs").GetArrayLength());
            Assert.IsTrue(last.RootElement.GetProperty("runs").EnumerateArray().All(r => r.GetProperty("status").GetString() == "completed"));
            var roml = last.RootElement.GetProperty("runs").EnumerateArray().First(r => r.GetProperty("id").GetString()!.Contains("roml"));
            Assert.AreEqual(JsonValueKind.Array, roml.GetProperty("cemPhi").ValueKind, "a robust run shows its CEM φ");
        }
        await cluster.WaitForSweepAsync("console-mql", TimeSpan.FromMinutes(5));

        // Every grain kind answers through the cluster.
        const string romlRun = "console-sine-roml-a0.2-s1";
        using (var sweep = JsonDocument.Parse(Ok(cluster, "grain", "show", "sweep/console-sine", "--json")))
            Assert.AreEqual(4, sweep.RootElement.GetProperty("runs").GetArrayLength());
        using (var run = JsonDocument.Parse(Ok(cluster, "grain", "show", $"run/{romlRun}", "--json")))
        {
            Assert.AreEqual("completed", run.RootElement.GetProperty("state").GetProperty("status").GetString());
            Assert.AreEqual(40, run.RootElement.GetProperty("state").GetProperty("iteration").GetInt32());
        }
        var cem = Ok(cluster, "grain", "show", $"cem/{romlRun}", "--history");
        StringAssert.Contains(cem, "\"phiHistory\"");
        StringAssert.Contains(cem, "\"phiAfter\"", "--history prints the CEM's update records");
        var worst = (await cluster.Grains.GetGrain<IMetaPolicyGrain>(romlRun).GetAsync())!;
        Assert.IsNotNull(worst.State.Summary);
        var taskKey = await FirstExistingAsync(cluster, i => $"{romlRun}.test-{i:D5}", 30, k => cluster.Grains.GetGrain<ITaskGrain>(k).GetAsync());
        StringAssert.Contains(Ok(cluster, "grain", "show", $"task/{taskKey}"), "\"scores\"");
        var mqlRun = "console-mql-baseline-s1";
        var propensityKey = await FirstExistingAsync(cluster, i => $"{mqlRun}.test-{i:D5}", 6, k => cluster.Grains.GetGrain<IPropensityGrain>(k).GetAsync());
        using (var propensity = JsonDocument.Parse(Ok(cluster, "grain", "show", $"propensity/{propensityKey}", "--json")))
        {
            double ess = propensity.RootElement.GetProperty("effectiveSampleSize").GetDouble();
            Assert.IsTrue(ess is > 0 and <= 1, $"ESS {ess}");
            Assert.AreEqual(1 - ess, propensity.RootElement.GetProperty("lambda").GetDouble(), 1e-9);
        }
        var silos = Ok(cluster, "silos");
        StringAssert.Contains(silos, "console-silo");
        using (var silo = JsonDocument.Parse(Ok(cluster, "grain", "show", "silo/console-silo", "--json")))
            Assert.AreEqual(2, silo.RootElement.GetProperty("coreBudget").GetInt32());
        var tail = Ok(cluster, "run", "tail", romlRun, "--last", "3").Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.AreEqual(3, tail.Length);
        StringAssert.StartsWith(tail[^1], "iteration     40");
        Assert.AreEqual(2, Cli(cluster, "grain", "show", "silo/no-such-silo").Code);
        Assert.AreEqual(2, Cli(cluster, "grain", "show", "run/no-such-run").Code);

        // The report: its numbers from the stored per-task returns, recomputed here; the page in Chromium.
        var reports = Path.Combine(cluster.Folder, "reports");
        var text = Ok(cluster, "sweep", "report", "console-sine", "--report-dir", reports);
        StringAssert.Contains(text, $"report: {Path.Combine(reports, "console-sine.html")}");
        using var report = JsonDocument.Parse(Ok(cluster, "sweep", "report", "console-sine", "--json"));
        var cells = report.RootElement.GetProperty("cells").EnumerateArray().ToList();
        Assert.AreEqual(2, cells.Count);
        foreach (var cell in cells)
        {
            string method = cell.GetProperty("method").GetString()!;
            var perSeed = new List<(double Mean, double Cvar)>();
            foreach (var seed in new[] { 1, 2 })
            {
                string runId = method == "baseline" ? $"console-sine-baseline-s{seed}" : $"console-sine-roml-a0.2-s{seed}";
                var blob = await cluster.Blobs.ReadAsync($"runs/{runId}/result.json", CancellationToken.None);
                using var result = JsonDocument.Parse(blob!.Content);
                var scores = result.RootElement.GetProperty("result").GetProperty("best").GetProperty("scores").EnumerateArray().Select(s => s.GetDouble()).ToList();
                Assert.AreEqual(30, scores.Count);
                // CVaR_0.2 of 30 scores: the mean of the 6 lowest.
                perSeed.Add((scores.Average(), scores.Order().Take(6).Average()));
            }
            AssertInterval(cell.GetProperty("mean"), perSeed.Select(p => p.Mean).ToList(), $"{method} mean");
            AssertInterval(cell.GetProperty("cvar"), perSeed.Select(p => p.Cvar).ToList(), $"{method} CVaR");
        }
        var screenshot = Screenshot("console-sine-report.png");
        var page = HeadlessBrowser.Check(Path.Combine(reports, "console-sine.html"), screenshot);
        TestContext.AddResultFile(screenshot);
        Assert.AreEqual(0, page.Errors.Count, string.Join("\n", page.Errors));
        CollectionAssert.AreEquivalent(new[] { "cvar-vs-alpha", "mean-vs-alpha", "learning-curves-mean", "learning-curves-cvar", "cem-phi-0", "cem-phi-1", "cem-phi-2" },
            page.Plots.Select(p => p.Id).ToArray());
        foreach (var plot in page.Plots) Assert.IsTrue(plot.Rendered, $"{plot.Id}: {plot.Width}×{plot.Height}, {plot.Drawn} shapes");
        foreach (var plot in page.Plots)
        {
            Assert.IsTrue(new FileInfo(Path.Combine(reports, $"console-sine-{plot.Id}.png")).Length > 5_000, $"{plot.Id}.png");
            StringAssert.Contains(File.ReadAllText(Path.Combine(reports, $"console-sine-{plot.Id}.svg")), "<svg");
        }
    }

    [TestMethod]
    [Timeout(600_000, CooperativeCancellation = true)]
    public async Task Pause_resume_and_cancel_through_the_cluster()
    {
        await using var cluster = new SiloCluster("console-control");
        cluster.StartSilo("control-silo", coreBudget: 2, checkpointEveryIterations: 5);
        await cluster.ConnectAsync(silos: 1);
        var spec = SineSweep("console-control", iterations: 100_000, seeds: 1);
        Ok(cluster, "sweep", "submit", Sweeps.Write(spec, cluster.Folder));
        const string baseline = "console-control-baseline-s1", roml = "console-control-roml-a0.2-s1";
        await WaitAsync(cluster, baseline, s => s.Status == RunStatus.Running && s.Iteration >= 5);

        StringAssert.Contains(Ok(cluster, "run", "pause", baseline), "pause requested");
        var paused = await WaitAsync(cluster, baseline, s => s.Status == RunStatus.Paused);
        await Task.Delay(1500);
        Assert.AreEqual(paused.Iteration, (await cluster.Grains.GetGrain<IMetaPolicyGrain>(baseline).GetAsync())!.State.Iteration, "a paused run does not move");

        StringAssert.Contains(Ok(cluster, "run", "resume", baseline), "resume requested");
        await WaitAsync(cluster, baseline, s => s.Status == RunStatus.Running && s.Iteration > paused.Iteration);

        Ok(cluster, "run", "cancel", baseline);
        Ok(cluster, "run", "cancel", roml);
        var watch = Cli(cluster, "sweep", "watch", "console-control", "--interval", "0.5");
        Assert.AreEqual(1, watch.Code, "not every run completed\n" + watch.Out + watch.Err);
        StringAssert.Contains(watch.Out, "2 cancelled");
        StringAssert.Contains(Ok(cluster, "run", "resume", baseline), "already ended (cancelled)");
    }

    private static void AssertInterval(JsonElement interval, IReadOnlyList<double> seeds, string what)
    {
        double mean = seeds.Average();
        double sd = Math.Sqrt(seeds.Sum(v => (v - mean) * (v - mean)) / (seeds.Count - 1));
        double half = 12.706 * sd / Math.Sqrt(seeds.Count); // Student's t, 0.975 quantile, 1 degree of freedom
        Assert.AreEqual(mean, interval.GetProperty("mean").GetDouble(), 1e-9 * Math.Max(1, Math.Abs(mean)), what);
        Assert.AreEqual(half, interval.GetProperty("halfWidth").GetDouble(), 1e-9 * Math.Max(1, half), what + " (95% half-width)");
        Assert.AreEqual(seeds.Count, interval.GetProperty("count").GetInt32(), what);
    }

    private static async Task<string> FirstExistingAsync<T>(SiloCluster cluster, Func<int, string> key, int count, Func<string, Task<T?>> get) where T : class
    {
        for (int i = 0; i < count; i++)
            if (await get(key(i)) is not null) return key(i);
        Assert.Fail($"no grain among {key(0)} … {key(count - 1)}");
        return "";
    }

    private static async Task<RunState> WaitAsync(SiloCluster cluster, string runId, Func<RunState, bool> condition)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(2);
        while (true)
        {
            var view = await SiloCluster.TryAsync(() => cluster.Grains.GetGrain<IMetaPolicyGrain>(runId).GetAsync());
            if (view is not null && condition(view.State)) return view.State;
            if (DateTime.UtcNow > deadline) Assert.Fail($"{runId}: {view?.State.Status} at {view?.State.Iteration}\n{string.Join("\n", cluster.Silos.Select(s => s.Tail(10)))}");
            await Task.Delay(200);
        }
    }

    /// <summary>Where a screenshot goes: tests/TestResults/screenshots/ (git-ignored), also attached to the test's result.</summary>
    private static string Screenshot(string name)
    {
        var dir = Path.Combine(RepoPaths.Root, "tests", "TestResults", "screenshots");
        Directory.CreateDirectory(dir);
        return Path.Combine(dir, name);
    }
}
