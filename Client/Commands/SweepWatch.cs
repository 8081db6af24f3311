using System.Globalization;
using System.Text;
using System.Text.Json;
using MetaRl.Client.Cluster;
using MetaRl.Grains;
using MetaRl.Grains.Interfaces;
using MetaRl.Grains.Interfaces.State;

namespace MetaRl.Client.Commands;

/// <summary>
/// A live view of a sweep, asked of its grain every few seconds — runs by status and silo, each run's
/// iteration, latest mean and CVaR, a robust run's CEM φ, and an estimate of the time left. On a
/// terminal it redraws in place; otherwise (a pipe, a log file) it prints a plain line whenever runs
/// change status (and every 30 s while only iterations move), and a line per run whose status changed; with
/// --json one JSON object per poll. `sweep watch` shows it until every run ended or is paused (exit 0
/// when all completed, 1 when some failed or were cancelled); `sweep run` shows the same while it trains.
/// Everything stored (ids, silo names, errors) is printed through <see cref="Untrusted.Line"/>.
/// </summary>
public static class SweepWatch
{
    /// <summary>Plain lines: one when runs change status or silo, and one this often while only iterations move.</summary>
    private static readonly TimeSpan Heartbeat = TimeSpan.FromSeconds(30);

    /// <summary>How each look is shown.</summary>
    public enum Display { Plain, Redraw, Json }

    public static async Task<int> RunAsync(ISweepGrain grain, string sweepId, TimeSpan interval, bool json, bool redraw, CancellationToken ct)
    {
        var display = json ? Display.Json : redraw ? Display.Redraw : Display.Plain;
        var runs = await FollowAsync(grain, sweepId, interval, display, "Ctrl-C stops watching, not the runs", ct);
        bool allCompleted = runs.All(r => r.State.Status == RunStatus.Completed && !Unreadable(r));
        foreach (var r in runs.Where(Unreadable)) Console.Error.WriteLine($"metarl: run {Untrusted.Line(r.State.Id)}: {Untrusted.Line(r.State.Error)}");
        if (!json) Console.WriteLine(allCompleted ? $"sweep {sweepId}: every run completed; the report: metarl sweep report {sweepId}"
            : $"sweep {sweepId}: every run ended or is paused, not all completed");
        return allCompleted ? Cli.ExitOk : Cli.ExitFailure;
    }

    /// <summary>Shows the sweep at every look until every run ended, is paused, or cannot be read; returns the last look's runs.</summary>
    /// <param name="giveUp">Whether the silo answering has let go of the folder (then calls to it are not retried).</param>
    public static async Task<List<RunView>> FollowAsync(ISweepGrain grain, string sweepId, TimeSpan interval, Display display, string hint, CancellationToken ct, Func<bool>? giveUp = null)
    {
        var spec = (await Transient.RetryAsync(() => grain.GetAsync(ct), ct, giveUp))?.Spec;
        string what = spec is null ? "" : $"{Untrusted.Line(spec.Family, 60)} / {Untrusted.Line(spec.Learner, 60)}";
        var statuses = new Dictionary<string, RunStatus>();
        var eta = new Eta();
        string lastLine = "";
        var lastPrinted = DateTime.MinValue;
        while (true)
        {
            var runs = await Transient.RetryAsync(() => grain.RunsAsync(ct), ct, giveUp);
            // A run whose stored state cannot be read will not move: it counts as ended, and is named at the end.
            bool done = runs.All(r => r.State.Ended || r.State.Status == RunStatus.Paused || Unreadable(r));
            string left = eta.Look(runs, DateTime.UtcNow);
            if (display == Display.Json)
                Console.WriteLine(JsonSerializer.Serialize(Snapshot(sweepId, runs, left), GrainJson.Options));
            else if (display == Display.Redraw)
            {
                SafeConsole.Control("\u001b[H\u001b[2J");
                Console.Write(Frame(sweepId, what, runs, DateTime.Now, left, hint));
                Console.Out.Flush();
            }
            else
            {
                foreach (var r in runs)
                {
                    var was = statuses.GetValueOrDefault(r.State.Id, RunStatus.Pending);
                    if (statuses.ContainsKey(r.State.Id) && was != r.State.Status)
                        Console.WriteLine($"{Now()} run {Untrusted.Line(r.State.Id)}: {Lower(was)} → {Lower(r.State.Status)}{Scores(r)}{(r.State.Error is null ? "" : "  error: " + Untrusted.Line(r.State.Error))}");
                    statuses[r.State.Id] = r.State.Status;
                }
                var line = Summary(runs);
                var counts = line[..line.LastIndexOf("; iterations", StringComparison.Ordinal)];
                if (counts != lastLine || DateTime.UtcNow - lastPrinted >= Heartbeat || done)
                {
                    Console.WriteLine($"{Now()} {sweepId}: {line}{(done ? "" : $"; {left}")}");
                    lastLine = counts;
                    lastPrinted = DateTime.UtcNow;
                }
            }
            if (done) return runs;
            await Task.Delay(interval, ct);
        }
    }

    private static bool Unreadable(RunView r) => r.Live.Activity == StoredData.Unreadable;

    private static string Now() => DateTime.Now.ToString("HH:mm:ss", CultureInfo.InvariantCulture);
    private static string Lower(RunStatus s) => s.ToString().ToLowerInvariant();

    /// <summary>The latest iteration's batch mean and CVaR while training; the test mean and CVaR once completed.</summary>
    private static (double? Mean, double? Cvar, string Kind) Latest(RunView r) => r.State.Summary is { } done
        ? (done.Mean, done.Cvar, "test")
        : (r.Live.LastMeanScore, r.Live.LastCvarScore, "batch");

    private static string Scores(RunView r) => Latest(r) is { Mean: { } mean } latest
        ? string.Create(CultureInfo.InvariantCulture, $"  {latest.Kind} mean {mean:G4} CVaR {latest.Cvar:G4}")
        : "";

    private static double[][]? PhiOf(RunView r) => r.Live.LastCemPhi ?? r.State.Summary?.CemPhi;

    private static string Phi(RunView r) => PhiOf(r) is { Length: > 0 } phi
        ? string.Join(" ", phi.Select(p => p.Length == 0 ? "" : p[0].ToString("F3", CultureInfo.InvariantCulture)))
        : "";

    private static long Done(RunView r) => Math.Max(r.State.Iteration, r.Live.Iteration);

    /// <summary>The sweep's progress in one line: runs by status, training runs per silo, iterations done.</summary>
    public static string Summary(IReadOnlyList<RunView> runs)
    {
        int Count(RunStatus s) => runs.Count(r => r.State.Status == s);
        var training = runs.Where(r => r.Live.Activity == "training").GroupBy(r => r.Live.Silo).OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => $"{Untrusted.Line(g.Key, 60)} {g.Count()}").ToList();
        long done = runs.Sum(Done), total = runs.Sum(r => (long)r.State.Iterations);
        var sb = new StringBuilder($"{Count(RunStatus.Completed)}/{runs.Count} complete, {training.Count switch { 0 => "0 training", _ => $"training on {string.Join(", ", training)}" }}, {runs.Count(r => r.Live.Activity == "queued")} waiting");
        foreach (var (status, name) in new[] { (RunStatus.Failed, "failed"), (RunStatus.Cancelled, "cancelled"), (RunStatus.Paused, "paused") })
            if (Count(status) > 0) sb.Append($", {Count(status)} {name}");
        if (runs.Count(Unreadable) is > 0 and var unreadable) sb.Append($", {unreadable} unreadable");
        sb.Append($"; iterations {done}/{total}");
        return sb.ToString();
    }

    /// <summary>The terminal view: a header, the summary with the time left, and one row per run.</summary>
    public static string Frame(string sweepId, string what, IReadOnlyList<RunView> runs, DateTime now, string left = "", string hint = "Ctrl-C stops watching, not the runs")
    {
        var sb = new StringBuilder();
        sb.AppendLine($"sweep {sweepId}  {what}  {now.ToString("HH:mm:ss", CultureInfo.InvariantCulture)}  ({hint})");
        sb.AppendLine(Summary(runs) + (left == "" ? "" : $"; {left}"));
        sb.AppendLine();
        var ids = runs.Select(r => Untrusted.Line(r.State.Id, 80)).ToList();
        int width = Math.Max(20, ids.Count == 0 ? 0 : ids.Max(id => id.Length));
        sb.AppendLine($"{"run".PadRight(width)}  {"status",-10} {"activity",-10} {"silo",-16} {"iteration",15}  {"mean",10} {"CVaR",10}  CEM φ   (mean, CVaR: the latest training batch; test scores once completed)");
        for (int i = 0; i < runs.Count; i++)
        {
            var r = runs[i];
            var s = r.State;
            string iteration = $"{Done(r)}/{s.Iterations}";
            var latest = Latest(r);
            string mean = latest.Mean?.ToString("G4", CultureInfo.InvariantCulture) ?? "";
            string cvar = latest.Cvar?.ToString("G4", CultureInfo.InvariantCulture) ?? "";
            string silo = r.Live.Activity is "training" or "queued" ? Untrusted.Line(r.Live.Silo, 40) : "";
            sb.AppendLine($"{ids[i].PadRight(width)}  {Lower(s.Status),-10} {Untrusted.Line(r.Live.Activity, 20),-10} {silo,-16} {iteration,15}  {mean,10} {cvar,10}  {Phi(r)}");
        }
        return sb.ToString();
    }

    private static object Snapshot(string sweepId, IReadOnlyList<RunView> runs, string left) => new
    {
        sweep = sweepId,
        time = DateTimeOffset.UtcNow,
        summary = Summary(runs),
        left,
        runs = runs.Select(r => new
        {
            id = r.State.Id,
            status = r.State.Status,
            activity = r.Live.Activity,
            silo = r.Live.Silo,
            iteration = Done(r),
            iterations = r.State.Iterations,
            scores = Latest(r).Kind,
            mean = Latest(r).Mean,
            cvar = Latest(r).Cvar,
            cemPhi = PhiOf(r),
            error = r.State.Error,
        }),
    };

    /// <summary>
    /// The time left, from the iterations done since the first look (runs that ended or are paused
    /// have nothing left): "about 12 min left", or "time left: estimating" until iterations move.
    /// </summary>
    private sealed class Eta
    {
        private DateTime _since;
        private long _doneSince = -1;

        public string Look(IReadOnlyList<RunView> runs, DateTime now)
        {
            long done = runs.Sum(Done);
            var going = runs.Where(r => !r.State.Ended && r.State.Status != RunStatus.Paused && !Unreadable(r)).ToList();
            long left = going.Sum(r => Math.Max(0, r.State.Iterations - Done(r)));
            if (_doneSince < 0 || done < _doneSince) (_since, _doneSince) = (now, done);
            if (left == 0) return going.Count == 0 ? "nothing left" : "last iterations done: testing";
            double seconds = (now - _since).TotalSeconds;
            if (done == _doneSince || seconds <= 0) return "time left: estimating";
            return $"about {Span(TimeSpan.FromSeconds(left * seconds / (done - _doneSince)))} left";
        }

        private static string Span(TimeSpan t) => t.TotalSeconds switch
        {
            < 60 => $"{Math.Max(1, (int)t.TotalSeconds)} s",
            < 3600 => $"{(int)t.TotalMinutes} min",
            < 86400 * 2 => $"{(int)t.TotalHours} h {t.Minutes:00} min",
            _ => $"{(int)t.TotalDays} days",
        };
    }
}
