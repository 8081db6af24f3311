using System.Text;
using static MetaRl.Client.Tests.ConsoleRuns;

namespace MetaRl.Client.Tests;

/// <summary>
/// Stored data is checked before it is shown: a run's metric lines, CEM records and result, cut short,
/// overwritten with junk of the same length, changed by one digit, or unreadable — the readers show
/// what checks out, name the damaged blob and exit 1; nothing unchecked reaches the output.
/// </summary>
[TestClass]
[DoNotParallelize]
public sealed class StoredDataChecksTests
{
    private const string Robust = "checked-roml-a0.2-s1";
    private const string Baseline = "checked-baseline-s1";
    private static string s_pristine = "";

    [ClassInitialize]
    public static async Task SweepOnceAsync(TestContext _)
    {
        var dir = Directory.CreateTempSubdirectory("metarl-checked-").FullName;
        var spec = Path.Combine(dir, "spec.json");
        File.WriteAllText(spec, """
            { "name": "checked", "family": "Sine", "learner": "maml", "methods": ["baseline", "roml"], "alpha": [0.2], "seeds": 1,
              "budget": { "iterations": 4 }, "evaluation": { "testTasks": 10, "validationTasks": 4, "validateEvery": 0 },
              "run": { "metaBatch": 5, "supervised": { "hidden": [8], "innerSteps": 1 }, "cem": { "batchSize": 10 } } }
            """);
        s_pristine = Path.Combine(dir, "data");
        var (code, _, err) = await InProcessAsync("sweep", "run", spec, "--data", s_pristine, "--report-dir", Path.Combine(dir, "reports"));
        Assert.AreEqual(0, code, err);
    }

    /// <summary>A copy of the swept folder to damage, and the path of one of its run blobs.</summary>
    private static (string Data, string Blob) Copy(string run, string blob)
    {
        var data = Path.Combine(Directory.CreateTempSubdirectory("metarl-damaged-").FullName, "data");
        CopyFolder(s_pristine, data);
        return (data, Path.Combine(data, "metarl", "runs", run, blob));
    }

    private static void Cut(string file) => File.WriteAllBytes(file, File.ReadAllBytes(file)[..(int)(new FileInfo(file).Length / 2)]);

    private static void Junk(string file) => File.WriteAllBytes(file, Enumerable.Repeat((byte)'x', (int)new FileInfo(file).Length).ToArray());

    /// <summary>One digit of a number changed: still well-formed records of the right length, not what the run wrote.</summary>
    private static void ChangeOneDigit(string file, string after)
    {
        var text = File.ReadAllText(file);
        int at = text.IndexOf(after, StringComparison.Ordinal) + after.Length;
        while (!char.IsAsciiDigit(text[at])) at++;
        File.WriteAllText(file, text[..at] + (text[at] == '7' ? '3' : '7') + text[(at + 1)..]);
    }

    private static async Task<(int Code, string Out, string Err)> TailAsync(string data) => await InProcessAsync("run", "tail", Robust, "--json", "--data", data);

    private static async Task<(int Code, string Out, string Err)> ReportAsync(string data) =>
        await InProcessAsync("sweep", "report", "checked", "--data", data, "--report-dir", Path.Combine(Path.GetDirectoryName(data)!, "reports"));

    private static string[] Lines(string text) => text.Split('\n', StringSplitOptions.RemoveEmptyEntries);

    [TestMethod]
    [Timeout(600_000, CooperativeCancellation = true)]
    public async Task Metric_lines_cut_short_are_named_with_their_committed_length_and_only_the_intact_lines_are_shown()
    {
        var (data, metrics) = Copy(Robust, "metrics");
        long committed = new FileInfo(metrics).Length;
        var intact = File.ReadAllLines(metrics);
        Cut(metrics);

        var (code, output, err) = await TailAsync(data);
        Assert.AreEqual(1, code, err);
        StringAssert.Contains(err, $"runs/{Robust}/metrics is {committed / 2} bytes; the run committed {committed}");
        var shown = Lines(output);
        Assert.IsLessThan(intact.Length, shown.Length, "not every iteration can be shown");
        CollectionAssert.AreEqual(intact.Take(shown.Length).ToArray(), shown, "what is shown is what the run wrote");

        (code, _, err) = await ReportAsync(data);
        Assert.AreEqual(1, code, err);
        StringAssert.Contains(err, $"runs/{Robust}/metrics is {committed / 2} bytes");
        (code, output, err) = await InProcessAsync("sweep", "show", "checked", "--data", data);
        Assert.AreEqual(0, code, "sweep show reads run states only, which are intact: " + err);
        StringAssert.Contains(output, Robust);
    }

    [TestMethod]
    [Timeout(600_000, CooperativeCancellation = true)]
    public async Task Metric_lines_overwritten_with_junk_or_changed_by_one_digit_are_named_and_not_shown()
    {
        var (data, metrics) = Copy(Robust, "metrics");
        var intact = File.ReadAllLines(metrics);
        Junk(metrics);
        var (code, output, err) = await TailAsync(data);
        Assert.AreEqual(1, code, err);
        StringAssert.Contains(err, $"runs/{Robust}/metrics line 1 is not a metric line");
        Assert.AreEqual("", output, "junk is not printed");
        (code, _, err) = await ReportAsync(data);
        Assert.AreEqual(1, code, err);
        StringAssert.Contains(err, $"runs/{Robust}/metrics line 1");

        (data, metrics) = Copy(Robust, "metrics");
        ChangeOneDigit(metrics, "\"iteration\":3,\"meanScore\":");
        (code, output, err) = await TailAsync(data);
        Assert.AreEqual(1, code, err);
        StringAssert.Contains(err, $"runs/{Robust}/metrics does not hold what the run committed");
        var shown = Lines(output);
        CollectionAssert.AreEqual(intact.Take(2).ToArray(), shown, "the lines up to the last confirmed mark (2) are shown, the changed third is not");
    }

    [TestMethod]
    [Timeout(600_000, CooperativeCancellation = true)]
    public async Task Cem_records_cut_overwritten_or_changed_are_named_by_grain_show_history()
    {
        foreach (var damage in new Action<string>[] { Cut, Junk, f => ChangeOneDigit(f, "\"scores\":[") })
        {
            var (data, history) = Copy(Robust, "cem-history");
            var intact = File.ReadAllLines(history);
            damage(history);
            var (code, output, err) = await InProcessAsync("grain", "show", $"cem/{Robust}", "--history", "--json", "--data", data);
            Assert.AreEqual(1, code, err);
            StringAssert.Contains(err, $"runs/{Robust}/cem-history");
            var records = Lines(output).Skip(1).ToArray(); // the grain's state first, then the records
            Assert.IsLessThan(intact.Length, records.Length);
            CollectionAssert.AreEqual(intact.Take(records.Length).ToArray(), records, "only records that check out are shown");
        }
    }

    [TestMethod]
    [Timeout(600_000, CooperativeCancellation = true)]
    public async Task A_result_cut_overwritten_or_changed_is_named_by_the_report_which_shows_the_rest()
    {
        foreach (var damage in new Action<string>[] { Cut, Junk, f => ChangeOneDigit(f, "\"scores\":[") })
        {
            var (data, result) = Copy(Robust, "result.json");
            damage(result);
            var (code, output, err) = await ReportAsync(data);
            Assert.AreEqual(1, code, err);
            StringAssert.Contains(err, $"runs/{Robust}/result.json");
            StringAssert.Contains(output, "baseline", "the intact run's cell is in the table");
        }
    }

    [TestMethod]
    [Timeout(600_000, CooperativeCancellation = true)]
    public void Unreadable_metrics_cem_records_and_result_are_named_as_unreadable_not_internal_errors()
    {
        var (data, _) = Copy(Robust, "metrics");
        foreach (var blob in new[] { "metrics", "cem-history", "result.json" })
            File.SetUnixFileMode(Path.Combine(data, "metarl", "runs", Robust, blob), UnixFileMode.None);
        var dir = Path.GetDirectoryName(data)!;
        var checks = new (string[] Args, string Blob)[]
        {
            (["run", "tail", Robust], "metrics"),
            (["grain", "show", $"cem/{Robust}", "--history"], "cem-history"),
            (["sweep", "report", "checked", "--report-dir", Path.Combine(dir, "reports")], "result.json"),
        };
        foreach (var (args, blob) in checks)
        {
            var ran = WithoutPermissionOverride(dir, [.. args, "--data", data]);
            if (ran is not { } r)
            {
                Assert.Inconclusive("this test runs as root and cannot drop the capability to read any file (setpriv)");
                return;
            }
            Assert.AreEqual(1, r.Code, $"{string.Join(' ', args)}: {r.Err}");
            StringAssert.Contains(r.Err, $"runs/{Robust}/{blob}");
            StringAssert.Contains(r.Err, "cannot be read");
            Assert.IsFalse(r.Err.Contains("internal error", StringComparison.Ordinal), r.Err);
        }
    }
}
