using System.Text.Json.Nodes;

namespace MetaRl.Client.Tests;

/// <summary>
/// Nothing stored or typed reaches the terminal raw: stored text (a sweep's family, a run's error,
/// metric and CEM history lines, a result file's names) and typed text (grain keys, ids, paths) carrying
/// ANSI escapes, carriage returns, newlines and bidi overrides come out escaped, and a newline in a
/// value never starts a line of its own.
/// </summary>
[TestClass]
[DoNotParallelize]
public sealed class TerminalSafetyTests
{
    /// <summary>Clears the screen, returns the cursor, forges a line, reverses the text, rings the bell.</summary>
    private const string Hostile = "Sine\u001b[2J\r\nFAKE: all good\u202Eevil\u0007\u2066";

    private static void AssertSafe((int Code, string Out, string Err) result, string what)
    {
        foreach (var (stream, text) in new[] { ("stdout", result.Out), ("stderr", result.Err) })
        {
            var raw = text.Select((c, i) => (c, i)).FirstOrDefault(x => (char.IsControl(x.c) && x.c != '\n') || x.c is >= '\u202A' and <= '\u202E' or >= '\u2066' and <= '\u2069' or '\u2028' or '\u2029' or '\u200F');
            Assert.AreEqual(default, raw, $"{what}: {stream} has a raw U+{(int)raw.c:X4} at {raw.i}:\n{Clip(text)}");
            var forged = text.Split('\n').FirstOrDefault(l => l.TrimStart().StartsWith("FAKE:", StringComparison.Ordinal));
            Assert.IsNull(forged, $"{what}: {stream} has a forged line:\n{Clip(text)}");
        }
    }

    private static string Clip(string s) => s.Length > 3000 ? s[..3000] + "…" : s;

    private static void EditJson(string file, Action<JsonNode> edit)
    {
        var node = JsonNode.Parse(File.ReadAllText(file))!;
        edit(node);
        File.WriteAllText(file, node.ToJsonString());
    }

    [TestMethod]
    public async Task Stored_text_with_escapes_newlines_and_bidi_reaches_no_read_command_raw()
    {
        var dir = InProcessConsole.TempDir();
        var data = Path.Combine(dir, "data");
        var spec = InProcessConsole.Write(dir, "spec.json", InProcessConsole.SmallSweep.Replace("NAME", "ev", StringComparison.Ordinal));
        var trained = await InProcessConsole.RunAsync("sweep", "run", spec, "--data", data, "--report-dir", Path.Combine(dir, "reports"));
        Assert.AreEqual(0, trained.Code, trained.Err + trained.Out);
        const string run = "ev-roml-a0.2-s1";

        // Storage as someone with write access to it could leave it.
        EditJson(Path.Combine(data, "grainstate", "sweep", "ev", "sweep"), n =>
        {
            n["spec"]!["family"] = Hostile;
            n["spec"]!["learner"] = Hostile;
            n["ended"]![run]!["error"] = Hostile;
        });
        EditJson(Path.Combine(data, "grainstate", "sweepcatalog", "all", "catalog"), n =>
        {
            n["sweeps"]!["ev"]!["family"] = Hostile;
            n["sweeps"]!["ev"]!["learner"] = Hostile;
        });
        var runs = Path.Combine(data, "metarl", "runs", run);
        // A stored line that parses, with a hostile key, and two that do not, raw.
        File.AppendAllText(Path.Combine(runs, "metrics"), "{\"iteration\":4,\"diagnostics\":{\"\\u001b[2J\\nFAKE: key\":1}}\n\u001b[2J\u202Egarbage\r\nFAKE: metric line\n");
        File.AppendAllText(Path.Combine(runs, "cem-history"), "{\"index\":9,\"note\":\"\\u001b[2J\\u202E\"}\nFAKE: cem line \u001b]0;title\u0007\n");
        EditJson(Path.Combine(data, "grainstate", "metapolicy", run, "run"), n =>
        {
            n["error"] = Hostile;
            n["metricsLength"] = new FileInfo(Path.Combine(runs, "metrics")).Length;
            n["cemHistoryLength"] = new FileInfo(Path.Combine(runs, "cem-history")).Length;
        });
        var resultFile = InProcessConsole.Write(dir, "result.json", """
            {"summary":{"spec":{"family":"FAMILY","learner":"LEARNER","method":"roml","alpha":0.2,"seed":1},"seconds":1,
              "best":{"mean":1,"cvar":0.5,"preMean":0.2,"preCvar":0.1},"final":{"mean":1,"cvar":0.5,"preMean":0.2,"preCvar":0.1},"cemPhi":[[0.5]],"cemPhi0":[[0.5]]}}
            """.Replace("FAMILY", System.Text.Json.JsonEncodedText.Encode(Hostile).ToString(), StringComparison.Ordinal)
               .Replace("LEARNER", System.Text.Json.JsonEncodedText.Encode(Hostile).ToString(), StringComparison.Ordinal));

        string[][] commands =
        [
            ["sweep", "list"], ["sweep", "list", "--json"], ["sweep", "show", "ev"], ["sweep", "show", "ev", "--json"],
            ["sweep", "report", "ev", "--report-dir", Path.Combine(dir, "reports")], ["sweep", "report", "ev", "--json"],
            ["sweep", "watch", "ev", "--plain", "--interval", "0.2"], ["sweep", "watch", "ev", "--json", "--interval", "0.2"],
            ["run", "show", run], ["run", "show", run, "--json"], ["run", "tail", run], ["run", "tail", run, "--json"],
            ["grain", "show", "sweep/ev"], ["grain", "show", $"run/{run}"], ["grain", "show", $"cem/{run}", "--history"],
            ["silos"], ["summarize", resultFile], ["summarize", resultFile, "--json"],
        ];
        foreach (var args in commands)
        {
            var what = $"metarl {string.Join(' ', args)}";
            var result = await InProcessConsole.RunAsync([.. args, "--data", data]);
            AssertSafe(result, what);
            Assert.IsTrue(result.Out.Length > 0, $"{what} printed something:\n{result.Err}");
        }
        // The lines appended behind the run's back do not match what it committed: what can be vouched for is
        // still shown, and the damaged blob is named.
        var tail = await InProcessConsole.RunAsync("run", "tail", run, "--data", data);
        Assert.AreEqual(1, tail.Code, tail.Err);
        StringAssert.Contains(tail.Out, "iteration      1");
        StringAssert.Contains(tail.Err, $"runs/{run}/metrics");
        var history = await InProcessConsole.RunAsync("grain", "show", $"cem/{run}", "--history", "--data", data);
        Assert.AreEqual(1, history.Code, history.Err);
        StringAssert.Contains(history.Err, $"runs/{run}/cem-history");
        var show = await InProcessConsole.RunAsync("sweep", "show", "ev", "--data", data);
        StringAssert.Contains(show.Out, "\\x1B[2J", "escapes are shown, not obeyed");
    }

    [TestMethod]
    public async Task Typed_keys_ids_and_paths_with_newlines_and_escapes_are_refused_without_forging_a_line()
    {
        var dir = InProcessConsole.TempDir();
        var data = Path.Combine(dir, "data");
        var model = InProcessConsole.Write(dir, "not-a-model.bin", "x");
        const string forged = "a\nFAKE: all good\u001b[2J\u202E";
        string[][] commands =
        [
            ["grain", "show", $"run/{forged}"], ["grain", "show", forged], ["grain", "show", $"silo/{forged}"], ["grain", "show", $"task/{forged}.x"],
            ["run", "show", forged], ["run", "tail", forged], ["sweep", "show", forged], ["sweep", "watch", forged],
            ["train", "--family", forged], ["train", "--learner", forged], ["sweep", "check", Path.Combine(dir, forged)],
            ["summarize", Path.Combine(dir, forged)], ["evaluate", "--model", Path.Combine(dir, forged)],
            ["export", "--model", model, "--pt", Path.Combine(dir, forged)], ["sweep", "list", "--cluster-id", forged],
            ["train", "--family", "Sine", "--iterations", "1", "--out", Path.Combine(dir, forged, "x.json")],
        ];
        foreach (var args in commands)
        {
            var what = $"metarl {string.Join(' ', args).Replace("\n", "\\n", StringComparison.Ordinal)}";
            var result = await InProcessConsole.RunAsync([.. args, "--data", data]);
            Assert.AreEqual(2, result.Code, $"{what}:\n{result.Err}");
            AssertSafe(result, what);
        }
        Assert.IsFalse(Directory.Exists(Path.Combine(data, "metarl", "runs")), "nothing was stored");
    }

    [TestMethod]
    public async Task A_message_about_a_very_long_input_says_what_is_wrong_before_the_cut_value()
    {
        var dir = InProcessConsole.TempDir();
        var data = Path.Combine(dir, "data");
        var model = InProcessConsole.Write(dir, "not-a-model.bin", "x");
        var longName = new string('k', 5000);
        (string[] Args, string Reason)[] cases =
        [
            (["grain", "show", $"run/{longName}"], "kind and id allow"),
            (["grain", "show", longName], "kind/id"),
            (["run", "show", longName], "invalid"),
            (["sweep", "show", longName], "invalid"),
            (["train", "--family", longName], "family"),
            (["export", "--model", model, "--pt", Path.Combine(dir, new string('p', 300))], "at most 255"),
            (["sweep", "check", Path.Combine(dir, longName)], "sweep spec"),
        ];
        foreach (var (args, reason) in cases)
        {
            var result = await InProcessConsole.RunAsync([.. args, "--data", data]);
            Assert.AreEqual(2, result.Code, result.Err);
            var first = result.Err.Split('\n')[0];
            Assert.IsTrue(first.Length < 400, $"a {first.Length}-character first line: {Clip(first)}");
            StringAssert.Contains(first, reason, $"metarl {args[0]} {args[1]}: the reason is in view");
        }
    }
}
