using MetaRl.Grains.Interfaces.State;

namespace MetaRl.Client.Tests;

/// <summary>The console as a user drives it: exit codes, messages, and what lands in storage.</summary>
[TestClass]
[DoNotParallelize]
public sealed class CliTests
{
    private static async Task<(int Code, string Out, string Err)> RunAsync(params string[] args)
    {
        var (oldOut, oldErr) = (Console.Out, Console.Error);
        var (o, e) = (new StringWriter(), new StringWriter());
        Console.SetOut(o);
        Console.SetError(e);
        try
        {
            int code = await Cli.RunAsync(args);
            return (code, o.ToString(), e.ToString());
        }
        finally
        {
            Console.SetOut(oldOut);
            Console.SetError(oldErr);
        }
    }

    private static string TempDir() => Directory.CreateTempSubdirectory("metarl-cli-").FullName;

    private static string WriteSpec(string dir, string json)
    {
        var path = Path.Combine(dir, "spec.json");
        File.WriteAllText(path, json);
        return path;
    }

    [TestMethod]
    public async Task A_bad_sweep_spec_exits_2_names_the_fields_and_writes_nothing()
    {
        var dir = TempDir();
        var data = Path.Combine(dir, "data");
        var spec = WriteSpec(dir, """{"name":"bad","family":"Sine","learner":"promp","methods":["roml"],"alpha":[0.05],"seeds":0}""");
        var (code, _, err) = await RunAsync("sweep", "submit", spec, "--data", data);
        Assert.AreEqual(2, code);
        StringAssert.Contains(err, "sweep.seeds 0 is invalid");
        StringAssert.Contains(err, "learner 'promp' is not available for Sine");
        Assert.IsFalse(Directory.Exists(data), "storage untouched");
    }

    [TestMethod]
    public async Task Unknown_fields_in_a_spec_are_refused()
    {
        var dir = TempDir();
        var spec = WriteSpec(dir, """{"name":"x","family":"Sine","learner":"maml","seed":3}""");
        var (code, _, err) = await RunAsync("sweep", "submit", spec, "--data", Path.Combine(dir, "data"));
        Assert.AreEqual(2, code);
        StringAssert.Contains(err, "'seed'");
    }

    [TestMethod]
    public async Task Bad_arguments_exit_2()
    {
        Assert.AreEqual(2, (await RunAsync("doctor", "--storage", "ftp")).Code);
        Assert.AreEqual(2, (await RunAsync("sweep", "frobnicate")).Code);
        var (code, _, err) = await RunAsync("train", "--family", "Sine", "--alpha", "3");
        Assert.AreEqual(2, code);
        StringAssert.Contains(err, "alpha 3 is invalid; allowed: (0, 1]");
        Assert.AreEqual(2, (await RunAsync("run", "show", "Not/A/Run")).Code);
        Assert.AreEqual(2, (await RunAsync("grain", "show", "nokind/x", "--data", TempDir())).Code);
    }

    /// <summary>Every argument a read or control command checks: exit 2, the argument named, nothing stored.</summary>
    [TestMethod]
    public async Task Every_bad_argument_path_exits_2_naming_the_argument_and_writes_nothing()
    {
        var dir = TempDir();
        var data = Path.Combine(dir, "data");
        var spec = WriteSpec(dir, """{"name":"ok","family":"Sine","learner":"maml","methods":["baseline"],"alpha":[0.2],"seeds":1,"budget":{"iterations":2}}""");
        var file = Path.Combine(dir, "a-file");
        File.WriteAllText(file, "x");
        (string[] Args, string Named)[] cases =
        [
            (["sweep", "watch", "x", "--interval", "0"], "--interval"),
            (["sweep", "watch", "x", "--interval", "NaN"], "--interval"),
            (["sweep", "watch", "x", "--interval", "soon"], "--interval"),
            (["sweep", "watch", "Bad/Name"], "sweep id 'Bad/Name'"),
            (["sweep", "show", "Bad Name"], "sweep id 'Bad Name'"),
            (["sweep", "report", "UPPER"], "sweep id 'UPPER'"),
            (["sweep", "run", spec, "--dashboard-port", "70000"], "--dashboard-port"),
            (["sweep", "run", spec, "--dashboard-port", "-1"], "--dashboard-port"),
            (["sweep", "run", spec, "--cores", "-5"], "--cores"),
            (["sweep", "run", spec, "--checkpoint-seconds", "NaN"], "--checkpoint-seconds"),
            (["sweep", "run", spec, "--checkpoint-seconds", "0"], "--checkpoint-seconds"),
            (["sweep", "submit", Path.Combine(dir, "missing.json")], "missing.json"),
            (["run", "tail", "r", "--last", "-1"], "--last"),
            (["run", "tail", "r", "--last", "many"], "--last"),
            (["run", "show", "Not/A/Run"], "run id 'Not/A/Run'"),
            (["run", "pause", "Bad!"], "run id 'Bad!'"),
            (["grain", "show", "nokind/x"], "grain kind 'nokind'"),
            (["grain", "show", "run"], "kind/id"),
            (["grain", "show", "task/no-dot"], "task/RUN.TASK"),
            (["grain", "show", "silo/"], "kind/id"),
            (["silos", "--storage", "ftp"], "--storage"),
            (["sweep", "list", "--cluster-id", "Bad Id"], "--cluster-id"),
            (["summarize", Path.Combine(dir, "none.json")], "none.json"),
            (["train", "--family", "Sine", "--alpha", "3"], "alpha"),
            (["evaluate", "--model", Path.Combine(dir, "none.bin")], "--model"),
        ];
        foreach (var (args, named) in cases)
        {
            var (code, output, err) = await RunAsync([.. args, "--data", data]);
            Assert.AreEqual(2, code, $"metarl {string.Join(' ', args)}:\n{output}\n{err}");
            StringAssert.Contains(err, named, $"metarl {string.Join(' ', args)} names {named}");
            Assert.IsFalse(Directory.Exists(Path.Combine(data, "metarl", "runs")), $"metarl {string.Join(' ', args)} wrote nothing");
        }
        var (reportCode, _, reportErr) = await RunAsync("sweep", "run", spec, "--data", data, "--report-dir", file);
        Assert.AreEqual(2, reportCode, reportErr);
        StringAssert.Contains(reportErr, "--report-dir");
    }

    /// <summary>A corrupt run state, result file or metric line: the readers name it, show the rest, and exit non-zero.</summary>
    [TestMethod]
    public async Task Readers_name_a_corrupt_stored_file_show_the_rest_and_exit_non_zero()
    {
        var dir = TempDir();
        var data = Path.Combine(dir, "data");
        var spec = WriteSpec(dir, """
            { "name": "rot", "family": "Sine", "learner": "maml", "methods": ["baseline", "roml"], "alpha": [0.2], "seeds": 2,
              "budget": { "iterations": 3 }, "evaluation": { "testTasks": 10, "validationTasks": 4, "validateEvery": 0 },
              "run": { "metaBatch": 5, "supervised": { "hidden": [8], "innerSteps": 1 }, "cem": { "batchSize": 10 } } }
            """);
        Assert.AreEqual(0, (await RunAsync("sweep", "run", spec, "--data", data, "--report-dir", Path.Combine(dir, "reports"))).Code);
        // Three kinds of rot: a run's grain state, another run's result, a third run's metric lines.
        File.WriteAllText(Path.Combine(data, "grainstate", "metapolicy", "rot-baseline-s1", "run"), "{ not json");
        File.WriteAllText(Path.Combine(data, "metarl", "runs", "rot-roml-a0.2-s1", "result.json"), "[1, 2");
        File.WriteAllText(Path.Combine(data, "metarl", "runs", "rot-roml-a0.2-s2", "metrics"), "garbage\n");
        var before = Snapshot(data);

        var (showCode, show, showErr) = await RunAsync("sweep", "show", "rot", "--data", data);
        Assert.AreEqual(1, showCode, showErr);
        StringAssert.Contains(showErr, "rot-baseline-s1");
        StringAssert.Contains(showErr, "grain state blob");
        StringAssert.Contains(show, "rot-baseline-s2", "the other runs are shown");
        StringAssert.Contains(show, "rot-roml-a0.2-s2");

        var (reportCode, report, reportErr) = await RunAsync("sweep", "report", "rot", "--data", data, "--report-dir", Path.Combine(dir, "reports"));
        Assert.AreEqual(1, reportCode, reportErr);
        StringAssert.Contains(reportErr, "runs/rot-roml-a0.2-s1/result.json");
        StringAssert.Contains(reportErr, "rot-baseline-s1");
        StringAssert.Contains(reportErr, "rot-roml-a0.2-s2: runs/rot-roml-a0.2-s2/metrics is 8 bytes; the run committed");
        StringAssert.Contains(report, "baseline", "the readable cells are in the table");
        StringAssert.Contains(report, "report: ");

        var (runCode, _, runErr) = await RunAsync("run", "show", "rot-baseline-s1", "--data", data);
        Assert.AreEqual(1, runCode, runErr);
        StringAssert.Contains(runErr, "stored data cannot be read");
        StringAssert.Contains(runErr, "metapolicy");
        Assert.IsFalse(runErr.Contains("internal error", StringComparison.Ordinal));
        // watch: the unreadable run will never move, so it counts as ended; it is named, the watch ends, exit 1.
        var (watchCode, watch, watchErr) = await RunAsync("sweep", "watch", "rot", "--interval", "0.2", "--data", data);
        Assert.AreEqual(1, watchCode, watchErr);
        StringAssert.Contains(watchErr, "rot-baseline-s1");
        StringAssert.Contains(watch, "1 unreadable");
        var (listCode, list, _) = await RunAsync("sweep", "list", "--data", data);
        Assert.AreEqual(0, listCode);
        StringAssert.Contains(list, "rot");
        var after = Snapshot(data);
        Assert.AreEqual("", string.Join("\n", before.Except(after).Concat(after.Except(before))), "readers changed nothing in storage");
    }

    /// <summary>
    /// Every stored file and its hash — not the local store's sidecar bookkeeping (.metarl-meta: ETags
    /// it re-derives for the files this test rewrote behind its back), nor locks and telemetry.
    /// </summary>
    private static List<string> Snapshot(string folder) =>
        Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories).Where(f => !f.EndsWith(".lock", StringComparison.Ordinal) && !f.Contains("local-silo", StringComparison.Ordinal)
                && !f.Contains("telemetry", StringComparison.Ordinal) && !f.Contains(".metarl-meta", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal).Select(f => $"{f} {Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(f)))}").ToList();

    [TestMethod]
    public async Task A_sweep_runs_to_completion_in_process_and_reports()
    {
        var dir = TempDir();
        var data = Path.Combine(dir, "data");
        var reports = Path.Combine(dir, "reports");
        var spec = WriteSpec(dir, """
            { "name": "cli-sweep", "family": "Sine", "learner": "maml", "methods": ["baseline", "roml"], "alpha": [0.2], "seeds": 2,
              "budget": { "iterations": 8 }, "evaluation": { "testTasks": 40, "validationTasks": 8, "validateEvery": 4 },
              "run": { "metaBatch": 5, "supervised": { "hidden": [16, 16], "innerSteps": 2 }, "cem": { "batchSize": 10 } } }
            """);
        var (code, output, err) = await RunAsync("sweep", "run", spec, "--data", data, "--report-dir", reports);
        Assert.AreEqual(0, code, err + output);
        StringAssert.Contains(output, "4/4 runs complete");
        StringAssert.Contains(output, "roml");
        Assert.IsTrue(File.Exists(Path.Combine(reports, "cli-sweep.html")));
        StringAssert.Contains(File.ReadAllText(Path.Combine(reports, "cli-sweep-cvar-vs-alpha.svg")), "<svg");

        var (listCode, list, _) = await RunAsync("sweep", "list", "--data", data);
        Assert.AreEqual(0, listCode);
        StringAssert.Contains(list, "4/4");
        var (tailCode, tail, _) = await RunAsync("run", "tail", "cli-sweep-roml-a0.2-s1", "--data", data);
        Assert.AreEqual(0, tailCode);
        Assert.AreEqual(8, tail.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length, "one metric line per iteration");
        var (cemCode, cem, _) = await RunAsync("grain", "show", "cem/cli-sweep-roml-a0.2-s1", "--history", "--data", data);
        Assert.AreEqual(0, cemCode);
        StringAssert.Contains(cem, "\"phiHistory\"");
        var (reportCode, json, _) = await RunAsync("sweep", "report", "cli-sweep", "--json", "--data", data, "--report-dir", reports);
        Assert.AreEqual(0, reportCode);
        StringAssert.Contains(json, "\"completed\": 4");

        // Submitting the same sweep again is a no-op; running it again finds nothing to do.
        var (again, againOut, _) = await RunAsync("sweep", "run", spec, "--data", data, "--report-dir", reports);
        Assert.AreEqual(0, again);
        StringAssert.Contains(againOut, "4/4 runs complete");
    }

    [TestMethod]
    public async Task Train_results_summarize_over_seeds_with_the_cem_start_and_refuse_foreign_files()
    {
        var dir = TempDir();
        var files = new List<string>();
        foreach (var seed in new[] { "1", "2" })
        {
            var f = Path.Combine(dir, $"roml-s{seed}.json");
            var (code, _, err) = await RunAsync("train", "--family", "Sine", "--learner", "maml", "--method", "roml", "--alpha", "0.2", "--seed", seed,
                "--iterations", "4", "--meta-batch", "5", "--cem-batch", "10", "--test-tasks", "40", "--validation-tasks", "8", "--validate-every", "2",
                "--log-every", "100", "--out", f);
            Assert.AreEqual(0, code, err);
            files.Add(f);
        }
        var (sumCode, json, sumErr) = await RunAsync(["summarize", .. files, "--json"]);
        Assert.AreEqual(0, sumCode, sumErr);
        using var doc = System.Text.Json.JsonDocument.Parse(json);
        var row = doc.RootElement[0];
        Assert.AreEqual(2, row.GetProperty("seeds").GetInt32());
        Assert.AreEqual("roml", row.GetProperty("method").GetString());
        var phi0 = row.GetProperty("cemPhi0").EnumerateArray().Select(x => x.GetDouble()).ToArray();
        CollectionAssert.AreEqual(new[] { 0.5, 0.5, 0.5 }, phi0, "Sine's three Beta-by-mean latents start uniform");
        Assert.AreEqual(3, row.GetProperty("cemPhi").GetArrayLength());
        Assert.IsTrue(row.GetProperty("mean").GetProperty("mean").GetDouble() < 0, "scores are −loss");

        var foreign = Path.Combine(dir, "other.json");
        File.WriteAllText(foreign, """{"hello": 1}""");
        var (badCode, _, badErr) = await RunAsync("summarize", foreign);
        Assert.AreEqual(2, badCode);
        StringAssert.Contains(badErr, "is not a readable 'metarl train --out' result");
    }

    [TestMethod]
    public async Task Commands_on_a_run_that_does_not_exist_exit_2_and_say_so()
    {
        var data = Path.Combine(TempDir(), "data");
        foreach (var verb in new[] { "show", "tail", "pause" })
        {
            var (code, _, err) = await RunAsync("run", verb, "no-such-run", "--data", data);
            Assert.AreEqual(2, code, verb);
            StringAssert.Contains(err, "no-such-run", verb);
        }
        var (badCode, _, badErr) = await RunAsync("run", "tail", "Bad/Id", "--data", data);
        Assert.AreEqual(2, badCode);
        StringAssert.Contains(badErr, "run id 'Bad/Id' is invalid");
        Assert.IsFalse(Directory.Exists(data), "reading commands create no storage");
    }

    [TestMethod]
    public async Task A_sweep_that_needs_a_gpu_is_refused_at_submission_on_a_machine_without_one()
    {
        var dir = TempDir();
        var data = Path.Combine(dir, "data");
        var spec = WriteSpec(dir, """{"name":"gpu","family":"Sine","learner":"maml","methods":["baseline"],"seeds":1,"budget":{"iterations":4},"run":{"device":"cuda"}}""");
        var (code, _, err) = await RunAsync("sweep", "run", spec, "--data", data);
        Assert.AreEqual(2, code, err);
        StringAssert.Contains(err, "no silo of the cluster has a GPU");
        Assert.IsFalse(Directory.Exists(Path.Combine(data, "metarl", "runs")), "no run was created");
    }
}
