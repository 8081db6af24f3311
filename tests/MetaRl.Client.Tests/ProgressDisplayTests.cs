using System.Text.RegularExpressions;
using MetaRl.Learning.Training;

namespace MetaRl.Client.Tests;

/// <summary>
/// Long phases show their progress, and the console shows the user's progress rather than the host's
/// log: `train` reports its final evaluation task by task, `train --help` lists every learner, and
/// `sweep run` prints one progress display with no host log lines in it.
/// </summary>
[TestClass]
[DoNotParallelize]
public sealed class ProgressDisplayTests
{
    [TestMethod]
    public async Task Train_help_lists_every_learner()
    {
        var (code, output, err) = await InProcessConsole.RunAsync("train", "--help");
        Assert.AreEqual(0, code, err);
        var learnerLine = output.Split('\n').Where(l => l.Contains("--learner", StringComparison.Ordinal)).Single();
        foreach (var learner in Learners.Rl.Concat(Learners.Supervised).Distinct())
            Assert.IsTrue(Regex.IsMatch(learnerLine, $@"(^|[\s,(]){Regex.Escape(learner)}([\s,;)]|$)"), $"--learner lists {learner}: {learnerLine}");
    }

    [TestMethod]
    public async Task Train_shows_the_final_evaluation_task_by_task_up_to_the_last()
    {
        var dir = InProcessConsole.TempDir();
        // 600 test tasks: the supervised learners evaluate them in chunks, each reported.
        var (code, output, err) = await InProcessConsole.RunAsync("train", "--family", "Sine", "--learner", "maml", "--iterations", "2", "--meta-batch", "4",
            "--test-tasks", "600", "--validation-tasks", "4", "--validate-every", "1", "--out", Path.Combine(dir, "r.json"));
        Assert.AreEqual(0, code, err);
        var counts = Regex.Matches(output, @"evaluating the final model: (\d+)/600 test tasks").Select(m => int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture)).ToList();
        Assert.IsTrue(counts.Count >= 2, $"the final model's evaluation is shown starting and ending:\n{output}");
        Assert.AreEqual(0, counts[0], output);
        Assert.AreEqual(600, counts[^1], output);
        CollectionAssert.AreEqual(counts.Order().ToList(), counts, "counts only go up");
        var firstResult = output.IndexOf("test (600 tasks)", StringComparison.Ordinal);
        Assert.IsTrue(output.LastIndexOf("600/600 test tasks", StringComparison.Ordinal) < firstResult, "progress comes before the result");
    }

    /// <summary>Synchronous, unlike <see cref="Progress{T}"/>: the reports in the order they came.</summary>
    private sealed class Recorder : IProgress<RunPhase>
    {
        public List<RunPhase> Phases { get; } = [];
        public void Report(RunPhase value) => Phases.Add(value);
    }

    [TestMethod]
    public void A_run_tells_each_iteration_validation_and_test_as_it_goes_and_computes_the_same()
    {
        var spec = new RunSpec
        {
            Family = "Sine", Learner = Learners.Maml, Iterations = 3, MetaBatch = 4,
            Supervised = new() { Hidden = [8], InnerSteps = 1 },
            Evaluation = new() { TestTasks = 600, ValidationTasks = 4, ValidateEvery = 2 },
        };
        var recorder = new Recorder();
        RunResult told, silent;
        using (var run = new MetaTrainingRun(spec) { Progress = recorder })
        {
            while (!run.Done) run.Step();
            told = run.Finish();
        }
        using (var run = new MetaTrainingRun(spec))
        {
            while (!run.Done) run.Step();
            silent = run.Finish();
        }
        CollectionAssert.AreEqual(silent.Final.Scores, told.Final.Scores, "listening changes nothing the run computes");
        CollectionAssert.AreEqual(new[] { 0, 1, 2 }, recorder.Phases.Where(p => p.Kind == PhaseKind.Training).Select(p => p.Done).ToArray(), "each iteration, as it starts");
        Assert.IsTrue(recorder.Phases.Where(p => p.Kind == PhaseKind.Validation).All(p => p.Total == 4));
        var test = recorder.Phases.Where(p => p.Kind == PhaseKind.Test && p.What == "the final model").Select(p => p.Done).ToList();
        CollectionAssert.AreEqual(new[] { 0, 250, 500, 600, 600 }, test, "the supervised learners evaluate 250 tasks at a time");
    }

    [TestMethod]
    public async Task Sweep_run_prints_its_progress_without_the_hosts_log_lines()
    {
        var dir = InProcessConsole.TempDir();
        var data = Path.Combine(dir, "data");
        var spec = InProcessConsole.Write(dir, "spec.json", InProcessConsole.SmallSweep.Replace("NAME", "quiet", StringComparison.Ordinal));
        var (code, output, err) = await InProcessConsole.RunAsync("sweep", "run", spec, "--data", data, "--report-dir", Path.Combine(dir, "reports"));
        Assert.AreEqual(0, code, err + output);
        foreach (var line in (output + "\n" + err).Split('\n'))
            Assert.IsFalse(Regex.IsMatch(line, @"\b(info|warn|fail|dbug|trce|crit): "), $"a host log line reached the console: {line}\n{output}");
        StringAssert.Contains(output, "2/2 complete");
        StringAssert.Contains(output, "iterations 6/6");
        // The log is kept: in the telemetry file.
        var telemetry = Directory.GetFiles(Path.Combine(data, "telemetry"), "*.jsonl").Single();
        StringAssert.Contains(File.ReadAllText(telemetry), "every run ended");

        // --verbose: the log on stderr, stdout still the progress only.
        var again = await InProcessConsole.RunAsync("sweep", "run", spec, "--data", data, "--report-dir", Path.Combine(dir, "reports"), "--verbose");
        Assert.AreEqual(0, again.Code, again.Err);
        Assert.IsFalse(Regex.IsMatch(again.Out, @"\b(info|warn): "), again.Out);
    }
}
