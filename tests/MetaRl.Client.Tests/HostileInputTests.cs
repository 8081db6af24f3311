using System.Text;
using System.Text.Json.Nodes;
using CsCheck;

namespace MetaRl.Client.Tests;

/// <summary>
/// Hostile input, generated (CsCheck): specs with a field replaced by a value that is never valid
/// there (null, the wrong kind, NaN and Infinity as strings, numbers out of their type's range, huge
/// strings, control characters, deep nesting, unknown and duplicate fields), and argument lists with
/// hostile values. Each case must end, within seconds, with exit 2, a message that names the field or
/// argument and stays short and free of control characters, and the data folder (holding a sweep
/// submitted before) byte-for-byte as it was. A failure prints
/// CsCheck's seed; `CsCheck_Seed=SEED dotnet test --filter HostileInputTests` replays it.
/// </summary>
[TestClass]
[DoNotParallelize]
public sealed class HostileInputTests
{
    private const string Base = """
        { "name": "hostile", "family": "Sine", "learner": "maml", "methods": ["baseline", "roml"], "alpha": [0.2], "seeds": 1,
          "budget": { "iterations": 2 }, "evaluation": { "testTasks": 4, "validationTasks": 2, "validateEvery": 0 },
          "resources": { "cores": 1, "gpu": false },
          "run": { "metaBatch": 2, "device": "cpu", "supervised": { "hidden": [4], "innerSteps": 1, "innerLearningRate": 0.01 },
                   "trpo": { "maxKl": 0.01, "cgIterations": 10 }, "cem": { "batchSize": 4 }, "rl": { "gamma": 0.99, "hidden": [8] } } }
        """;

    private enum Kind { Str, Int, UInt, Num, Bool, StrList, NumList, IntList, Obj }

    private static readonly (string Path, Kind Kind)[] Fields =
    [
        ("name", Kind.Str), ("family", Kind.Str), ("learner", Kind.Str), ("methods", Kind.StrList), ("methods[0]", Kind.Str),
        ("alpha", Kind.NumList), ("alpha[0]", Kind.Num), ("seeds", Kind.Int), ("firstSeed", Kind.UInt), ("budget", Kind.Obj),
        ("budget.iterations", Kind.Int), ("evaluation", Kind.Obj), ("resources", Kind.Obj), ("resources.cores", Kind.Int), ("resources.gpu", Kind.Bool),
        ("run", Kind.Obj), ("run.metaBatch", Kind.Int), ("run.device", Kind.Str), ("run.supervised", Kind.Obj), ("run.supervised.hidden", Kind.IntList),
        ("run.supervised.hidden[0]", Kind.Int), ("run.supervised.innerSteps", Kind.Int), ("run.supervised.innerLearningRate", Kind.Num),
        ("run.trpo", Kind.Obj), ("run.trpo.maxKl", Kind.Num), ("run.trpo.cgIterations", Kind.Int), ("run.cem.batchSize", Kind.Int),
        ("run.rl.gamma", Kind.Num), ("run.rl.hidden", Kind.IntList), ("run.mql.hidden", Kind.IntList), ("run.mql.batchSize", Kind.Int),
        ("run.rl2.width", Kind.Int), ("run.evaluation.testSeed", Kind.UInt),
    ];

    private static readonly string Huge = new string('a', 60_000) + "\u001b[31m";
    private static readonly string Controls = "\u001b[2J\u0000\u0007x\r\n";

    /// <summary>Raw JSON values that no field of <paramref name="kind"/> accepts.</summary>
    private static string[] Hostile(Kind kind)
    {
        string deep = new string('[', 40) + new string(']', 40);
        string[] any = ["null", deep, "{\"x\": 1}", "true"];
        string huge = System.Text.Json.JsonSerializer.Serialize(Huge);
        string[] notNumber = ["\"5\"", "\"NaN\"", "\"Infinity\"", "\"-Infinity\"", "[]", huge];
        return kind switch
        {
            Kind.Str => ["null", deep, "{}", "5", "[\"x\"]", "true", huge, System.Text.Json.JsonSerializer.Serialize(Controls), "\"\""],
            Kind.Int => [.. any, .. notNumber, "2147483648", "-2147483649", "1.5", "1e400", "-1e400"],
            Kind.UInt => [.. any, .. notNumber, "-1", "18446744073709551616", "1.5", "1e400"],
            Kind.Num => [.. any, .. notNumber, "1e400", "-1e400"],
            Kind.Bool => [.. any.Where(v => v != "true"), "1", "\"true\"", "[]"],
            Kind.StrList => ["null", deep, "5", "\"x\"", "{}", "[null]", "[5]", "[[]]", "[\"nope\"]", $"[{huge}]"],
            Kind.NumList => ["null", deep, "5", "\"x\"", "{}", "[null]", "[\"NaN\"]", "[[]]", "[1e400]", "[-1]", "[2]", "[0]"],
            Kind.IntList => ["null", deep, "5", "\"x\"", "{}", "[null]", "[1.5]", "[\"3\"]", "[[]]", "[2147483648]", "[1000000]", "[0]"],
            _ => [deep, "5", "\"x\"", "[]", "true", "{\"zzUnknownField\": 1}"],
        };
    }

    /// <summary>The spec with the field at <paramref name="path"/> (a.b[0] …) set to raw JSON <paramref name="value"/>; parents created as needed.</summary>
    private static string Mutate(string path, string value)
    {
        var root = JsonNode.Parse(Base)!.AsObject();
        const string marker = "\"@@HOSTILE@@\"";
        JsonNode parent = root;
        var parts = path.Split('.');
        for (int i = 0; i < parts.Length; i++)
        {
            var part = parts[i];
            int bracket = part.IndexOf('[');
            string key = bracket < 0 ? part : part[..bracket];
            bool last = i == parts.Length - 1;
            if (bracket >= 0)
            {
                var list = parent[key]!.AsArray();
                if (last) list[0] = JsonValue.Create("@@HOSTILE@@");
                else parent = list[0]!;
            }
            else if (last) parent.AsObject()[key] = JsonValue.Create("@@HOSTILE@@");
            else parent = parent[key] ?? (parent.AsObject()[key] = new JsonObject());
        }
        return root.ToJsonString().Replace(marker, value, StringComparison.Ordinal);
    }

    private static string LastName(string path) => path.Split('.').Last().Split('[')[0];

    private static async Task<(int Code, string Out, string Err)> RunAsync(string[] args)
    {
        var (oldOut, oldErr) = (Console.Out, Console.Error);
        var (o, e) = (new StringWriter(), new StringWriter());
        Console.SetOut(o);
        Console.SetError(e);
        try
        {
            int code = await Cli.RunAsync(args).WaitAsync(TimeSpan.FromSeconds(30));
            return (code, o.ToString(), e.ToString());
        }
        finally
        {
            Console.SetOut(oldOut);
            Console.SetError(oldErr);
        }
    }

    private static void AssertRefused((int Code, string Out, string Err) result, string named, string what)
    {
        Assert.AreEqual(2, result.Code, $"{what}: exit {result.Code}\n{Clip(result.Out)}\n{Clip(result.Err)}");
        StringAssert.Contains(result.Err, named, $"{what}: the message names '{named}'");
        Assert.IsFalse(result.Err.Contains("internal error", StringComparison.Ordinal), what);
        Assert.IsTrue(result.Err.Length < 20_000, $"{what}: a {result.Err.Length}-character message");
        Assert.IsFalse(result.Err.Any(c => char.IsControl(c) && c is not '\n' and not '\r' and not '\t'), $"{what}: control characters reach the terminal");
    }

    /// <summary>Every stored file's SHA-256 by path (the lock and address a silo leaves for its lifetime aside).</summary>
    private static SortedDictionary<string, string> Stored(string data)
    {
        var files = new SortedDictionary<string, string>(StringComparer.Ordinal);
        if (!Directory.Exists(data)) return files;
        foreach (var file in Directory.EnumerateFiles(data, "*", SearchOption.AllDirectories))
        {
            if (Path.GetFileName(file).StartsWith("local-silo", StringComparison.Ordinal)) continue;
            files[Path.GetRelativePath(data, file)] = Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(file)));
        }
        return files;
    }

    private static void AssertUnchanged(SortedDictionary<string, string> before, string data, string what)
    {
        var after = Stored(data);
        var changed = before.Keys.Union(after.Keys).Where(k => before.GetValueOrDefault(k) != after.GetValueOrDefault(k)).ToList();
        Assert.AreEqual(0, changed.Count, $"{what} changed stored files: {string.Join(", ", changed.Take(5))}");
    }

    /// <summary>A data folder holding the base sweep, as a user's would after a first submission.</summary>
    private static SortedDictionary<string, string> Populate(string data, string spec)
    {
        var submitted = RunAsync(["sweep", "submit", spec, "--data", data]).GetAwaiter().GetResult();
        Assert.AreEqual(0, submitted.Code, submitted.Err);
        var stored = Stored(data);
        Assert.IsTrue(stored.Count > 3, "the base sweep is stored");
        return stored;
    }

    private static string Clip(string s) => s.Length > 2000 ? s[..2000] + "…" : s;

    [TestMethod]
    public void Generated_hostile_specs_are_refused_naming_the_field_and_write_nothing()
    {
        var dir = Directory.CreateTempSubdirectory("metarl-hostile-").FullName;
        var data = Path.Combine(dir, "data");
        var spec = Path.Combine(dir, "spec.json");
        File.WriteAllText(spec, Base);
        Assert.AreEqual(0, RunAsync(["sweep", "check", spec]).GetAwaiter().GetResult().Code, "the base spec is valid");
        var stored = Populate(data, spec);

        var gen = Gen.Select(Gen.Int[0, Fields.Length - 1], Gen.Int[0, 1000], Gen.Int[0, 7]);
        int cases = 0;
        gen.Sample((field, pick, submit) =>
        {
            var (path, kind) = Fields[field];
            var values = Hostile(kind);
            var value = values[pick % values.Length];
            var json = Mutate(path, value);
            File.WriteAllText(spec, json);
            string what = $"{path} = {Clip(value)}";
            // Too deep a value is caught where the parser meets it: at the top-level field at the latest.
            string named = value.Contains("zzUnknownField", StringComparison.Ordinal) ? "zzUnknownField"
                : value.StartsWith("[[[[", StringComparison.Ordinal) ? path.Split('.')[0].Split('[')[0] : LastName(path);
            AssertRefused(RunAsync(["sweep", "check", spec]).GetAwaiter().GetResult(), named, what);
            if (submit == 0)
            {
                AssertRefused(RunAsync(["sweep", "submit", spec, "--data", data]).GetAwaiter().GetResult(), named, "submit " + what);
                AssertUnchanged(stored, data, "submit " + what);
            }
            Interlocked.Increment(ref cases);
        }, iter: 600, threads: 1, print: t => $"{Fields[t.Item1].Path} #{t.Item2}");
        Assert.IsTrue(cases >= 600, $"{cases} cases");
    }

    [TestMethod]
    public void Duplicate_keys_at_any_level_are_refused()
    {
        var dir = Directory.CreateTempSubdirectory("metarl-hostile-").FullName;
        var spec = Path.Combine(dir, "spec.json");
        foreach (var (json, named) in new[]
                 {
                     (Base.Replace("\"seeds\": 1", "\"seeds\": 1, \"seeds\": 2", StringComparison.Ordinal), "seeds"),
                     (Base.Replace("\"metaBatch\": 2", "\"metaBatch\": 2, \"metaBatch\": 4", StringComparison.Ordinal), "metaBatch"),
                     (Base.Replace("\"maxKl\": 0.01", "\"maxKl\": 0.01, \"maxKl\": 0.02", StringComparison.Ordinal), "maxKl"),
                 })
        {
            File.WriteAllText(spec, json);
            AssertRefused(RunAsync(["sweep", "check", spec]).GetAwaiter().GetResult(), named, "duplicate " + named);
        }
    }

    [TestMethod]
    public void Generated_hostile_arguments_exit_2_naming_the_argument_before_any_work()
    {
        var dir = Directory.CreateTempSubdirectory("metarl-hostile-").FullName;
        var data = Path.Combine(dir, "data");
        var spec = Path.Combine(dir, "spec.json");
        File.WriteAllText(spec, Base);
        var file = Path.Combine(dir, "a-file");
        File.WriteAllText(file, "not a model");
        var stored = Populate(data, spec);
        string[] numbers = ["NaN", "-5", "1e999", "", " ", "Infinity", "-Infinity", "99999999999999999999", "-1", "soon", "0x10", Controls, Huge];
        string[] names = ["", " ", "Bad/Name", "UPPER", "../../etc", "/proc/self/mem", Controls, Huge, "a b", "semi;colon"];
        string[] paths = [file, "/proc/self/mem", "/sys/kernel", "/dev/null", "/dev/zero", Path.Combine(file, "below"), Controls, ""];
        // Each template: the arguments around the hostile value, and what the message must name.
        (Func<string, string[]> Args, string Named, string[] Values)[] templates =
        [
            (v => ["sweep", "watch", "s", "--interval", v], "--interval", numbers),
            (v => ["run", "tail", "r", "--last", v], "--last", numbers.Where(n => n != "soon" || true).ToArray()),
            (v => ["sweep", "run", spec, "--cores", v], "--cores", numbers),
            (v => ["sweep", "run", spec, "--checkpoint-seconds", v], "--checkpoint-seconds", numbers),
            (v => ["sweep", "run", spec, "--dashboard-port", v], "--dashboard-port", numbers),
            (v => ["sweep", "report", v], "sweep id", names),
            (v => ["sweep", "show", v], "sweep id", names),
            (v => ["sweep", "watch", v], "sweep id", names),
            (v => ["run", "show", v], "run id", names),
            (v => ["run", "cancel", v], "run id", names),
            (v => ["grain", "show", v], "grain", names),
            (v => ["train", "--alpha", v], "alpha", numbers),
            (v => ["train", "--iterations", v], "iterations", numbers),
            (v => ["train", "--family", v], "family", names),
            (v => ["sweep", "check", v], "sweep spec", paths),
            (v => ["summarize", v], "", paths),
            (v => ["evaluate", "--model", v], "--model", paths),
            (v => ["sweep", "run", spec, "--report-dir", v], "--report-dir", paths.Where(p => p != "").ToArray()),
            (v => ["train", "--family", "Sine", "--iterations", "1", "--out", v], "--out", [.. paths.Where(p => p != "" && p != file), dir, "/"]),
            (v => ["train", "--family", "Sine", "--iterations", "1", "--save-model", v], "--save-model", [.. paths.Where(p => p != "" && p != file), dir]),
            (v => ["train", "--family", "Sine", "--iterations", "1", "--log-every", v], "--log-every", numbers),
            (v => ["train", "--spec", v], "--spec", paths),
            (v => ["export", "--model", file, "--pt", v], "--pt", [.. paths.Where(p => p != "" && p != file), dir]),
        ];
        var gen = Gen.Select(Gen.Int[0, templates.Length - 1], Gen.Int[0, 1000]);
        int cases = 0;
        gen.Sample((t, pick) =>
        {
            var (args, named, values) = templates[t];
            var value = values[pick % values.Length];
            string[] full = [.. args(value), "--data", data];
            var result = RunAsync(full).GetAwaiter().GetResult();
            string what = string.Join(' ', args(Clip(value)));
            AssertRefused(result, named, what);
            AssertUnchanged(stored, data, what);
            Interlocked.Increment(ref cases);
        }, iter: 300, threads: 1, print: t => $"template {t.Item1} value #{t.Item2}");
        Assert.IsTrue(cases >= 300);

        // --data itself, hostile.
        foreach (var bad in paths.Where(p => p != ""))
            AssertRefused(RunAsync(["sweep", "list", "--data", bad]).GetAwaiter().GetResult(), "--data", "--data " + Clip(bad));
    }

    [TestMethod]
    public void Examples_from_the_issue_are_refused()
    {
        var dir = Directory.CreateTempSubdirectory("metarl-hostile-").FullName;
        var spec = Path.Combine(dir, "spec.json");
        (string Json, string Named)[] examples =
        [
            ("""{"name":"x","family":"Sine","learner":"maml","methods":null}""", "sweep.methods is null"),
            ("""{"name":"x","family":"HalfCheetah-Vel","learner":"maml-trpo","run":{"rl":null}}""", "sweep.run.rl is null"),
            ("""{"name":"x","family":"HalfCheetah-Vel","learner":"maml-trpo","run":{"trpo":{"maxKl":"NaN"}}}""", "sweep.run.trpo.maxKl"),
            ("""{"name":"x","family":"HalfCheetah-Vel","learner":"maml-trpo","run":{"rl":{"innerLearningRate":"Infinity"}}}""", "innerLearningRate"),
            ("""{"name":"x","family":"HalfCheetah-Vel","learner":"maml-trpo","run":{"trpo":{"cgIterations":-3}}}""", "trpo.cgIterations -3"),
            ("""{"name":"x","family":"HalfCheetah-Vel","learner":"maml-trpo","run":{"trpo":{"maxBacktracks":-1}}}""", "trpo.maxBacktracks -1"),
            ("""{"name":"x","family":"HalfCheetah-Vel","learner":"reptile","run":{"reptileInnerSteps":-1}}""", "reptileInnerSteps -1"),
            ("""{"name":"x","family":"HalfCheetah-Vel","learner":"maml-trpo","run":{"trpo":{"backtrackRatio":5}}}""", "trpo.backtrackRatio 5"),
            ("""{"name":"x","family":"Sine","learner":"maml","run":{"metaBatch":2000000000}}""", "metaBatch 2000000000"),
            ("""{"name":"x","family":"Sine","learner":"maml","firstSeed":18446744073709551615}""", "sweep.firstSeed"),
            ("""{"name":"x","family":"Sine","learner":"maml","alpha":[0.1,0.100000001]}""", "give the same run ids"),
            ("""{"name":"x","family":"Sine","learner":"maml","alpha":[1e-7,2e-7]}""", "sweep.alpha[0]"),
            ("""{"name":"x","family":"Sine","learner":"maml","methods":["baseline","roml"],"alpha":[0.5],"seeds":1000,"run":{"metaBatch":2}}""", "ok"),
            ($$"""{"name":"x","family":"Sine","learner":"maml","methods":["baseline","roml"],"alpha":[{{string.Join(",", Enumerable.Range(1, 100).Select(i => (i / 100.0).ToString(System.Globalization.CultureInfo.InvariantCulture)))}}],"seeds":1000}""", "allowed: at most 10000"),
            ("""{"name":"x","family":"Sine","learner":"maml","seed":3}""", "did you mean 'seeds'"),
        ];
        foreach (var (json, named) in examples)
        {
            File.WriteAllText(spec, json);
            var result = RunAsync(["sweep", "check", spec]).GetAwaiter().GetResult();
            if (named == "ok") Assert.AreEqual(0, result.Code, result.Err);
            else AssertRefused(result, named, json);
        }
        // Raw control characters inside a JSON string are not JSON: refused with the position.
        File.WriteAllText(spec, "{\"name\":\"x\u001b[31m\",\"family\":\"Sine\",\"learner\":\"maml\"}");
        AssertRefused(RunAsync(["sweep", "check", spec]).GetAwaiter().GetResult(), "not valid JSON", "a raw escape character");
        var name = Path.Combine(dir, "huge.json");
        File.WriteAllText(name, $$"""{"name":"{{new string('n', 50 * 1024 * 1024 / 8)}}","family":"Sine","learner":"maml"}""");
        var huge = RunAsync(["sweep", "check", name]).GetAwaiter().GetResult();
        AssertRefused(huge, "sweep spec", "a 6 MiB spec");
        // The embedded silo's settings from the environment, checked before the folder is claimed or anything written.
        var data = Path.Combine(dir, "data");
        var good = Path.Combine(dir, "good.json");
        File.WriteAllText(good, Base);
        foreach (var (variable, value, named) in new[] { ("METARL_SILO__KEEPCHECKPOINTS", "abc", "Silo:KeepCheckpoints 'abc' is invalid"), ("METARL_SILO__TAILTASKGRAINS", "-1", "Silo:TailTaskGrains -1 is invalid") })
        {
            Environment.SetEnvironmentVariable(variable, value);
            try
            {
                AssertRefused(RunAsync(["sweep", "run", good, "--data", data]).GetAwaiter().GetResult(), named, variable);
                Assert.IsFalse(Directory.Exists(data), $"{variable}: nothing written");
            }
            finally
            {
                Environment.SetEnvironmentVariable(variable, null);
            }
        }
        var loop = Path.Combine(dir, "loop.json");
        File.CreateSymbolicLink(loop, loop);
        AssertRefused(RunAsync(["sweep", "check", loop]).GetAwaiter().GetResult(), "loop.json", "a symlink loop");
    }

    /// <summary>Sizes each within its limit whose product cannot fit: refused before anything is stored or trained (it used to grow to 23 GB and be killed).</summary>
    [TestMethod]
    public void A_run_that_cannot_fit_in_memory_is_refused_before_it_starts()
    {
        var dir = Directory.CreateTempSubdirectory("metarl-hostile-").FullName;
        var data = Path.Combine(dir, "data");
        var runSpec = Path.Combine(dir, "run.json");
        File.WriteAllText(runSpec, """{"family": "Sine", "learner": "maml", "metaBatch": 10000, "iterations": 2, "supervised": {"hidden": [4096, 4096]}}""");
        var trained = RunAsync(["train", "--spec", runSpec, "--data", data]).GetAwaiter().GetResult();
        AssertRefused(trained, "metaBatch 10000", "train");
        StringAssert.Contains(trained.Err, "supervised.hidden [4096, 4096]");
        Assert.IsFalse(trained.Out.Contains("iteration", StringComparison.Ordinal), "no training started");

        var sweepSpec = Path.Combine(dir, "sweep.json");
        File.WriteAllText(sweepSpec, """{"name": "huge", "family": "Sine", "learner": "maml", "methods": ["baseline"], "seeds": 1, "run": {"metaBatch": 10000, "supervised": {"hidden": [4096, 4096]}}}""");
        var check = RunAsync(["sweep", "check", sweepSpec]).GetAwaiter().GetResult();
        Assert.AreEqual(0, check.Code, "valid as a spec: a larger silo could run it");
        StringAssert.Contains(check.Err, "warning: the run needs at least");
        AssertRefused(RunAsync(["sweep", "submit", sweepSpec, "--data", data]).GetAwaiter().GetResult(), "the largest silo of the cluster has", "submit");
        Assert.IsFalse(Directory.Exists(Path.Combine(data, "grainstate", "sweep")), "nothing stored");
    }

    [TestMethod]
    public void Model_files_with_a_bad_embedded_spec_and_bad_evaluate_options_exit_2()
    {
        var dir = Directory.CreateTempSubdirectory("metarl-hostile-").FullName;
        foreach (var (name, spec) in new[] { ("not-json", "{"), ("array", "[]"), ("null-parts", """{"Rl": null, "Family": "Sine"}"""), ("bad-values", """{"Family": "Sine", "MetaBatch": -4}"""), ("wrong-type", """{"Family": "Sine", "MetaBatch": "x"}""") })
        {
            var archive = new MetaRl.Learning.Common.TensorArchive();
            archive.AddBytes("spec", Encoding.UTF8.GetBytes(spec));
            archive.AddBytes("selected", [1, 2, 3]);
            archive.AddBytes("final", [1, 2, 3]);
            var path = Path.Combine(dir, name + ".bin");
            File.WriteAllBytes(path, archive.ToBytes());
            var evaluated = RunAsync(["evaluate", "--model", path]).GetAwaiter().GetResult();
            AssertRefused(evaluated, "--model", "evaluate " + name);
            Assert.IsFalse(evaluated.Err.Contains("System.", StringComparison.Ordinal), $"{name}: a .NET type in the message: {evaluated.Err}");
            AssertRefused(RunAsync(["export", "--model", path, "--pt", Path.Combine(dir, name + ".pt")]).GetAwaiter().GetResult(), "--model", "export " + name);
            Assert.IsFalse(File.Exists(Path.Combine(dir, name + ".pt")));
        }
        var model = Path.Combine(dir, "model.bin");
        var trained = RunAsync(["train", "--family", "Sine", "--iterations", "1", "--test-tasks", "4", "--validation-tasks", "2", "--save-model", model]).GetAwaiter().GetResult();
        Assert.AreEqual(0, trained.Code, trained.Err);
        foreach (var noise in new[] { "-5", "NaN", "Infinity", "1e999" })
            AssertRefused(RunAsync(["evaluate", "--model", model, "--noise", noise]).GetAwaiter().GetResult(), "--noise", "--noise " + noise);
        AssertRefused(RunAsync(["evaluate", "--model", model, "--which", "best"]).GetAwaiter().GetResult(), "best", "--which best");
    }
}
