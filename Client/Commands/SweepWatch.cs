using System.Globalization;
using System.Text;
using System.Text.Json;
using MetaRl.Client.Cluster;
using MetaRl.Grains;
using MetaRl.Grains.Interfaces;
using MetaRl.Grains.Interfaces.State;

namespace MetaRl.Client.Commands;

/// <summary>
/// `metarl sweep watch NAME`: a live view of a sweep, asked of its grain every few seconds — runs by
/// status and silo, each run's iteration, latest mean and CVaR, and a robust run's CEM φ. On a
/// terminal it redraws in place; otherwise (a pipe, a log file) it prints a plain line whenever the
/// sweep's progress changed (at least every minute), and a line per run whose status changed; with
/// --json one JSON object per poll. Ends when every run ended or is paused: exit 0 when all completed,
/// 1 when some failed or were cancelled.
/// </summary>
public static class SweepWatch
{
    private static readonly TimeSpan Heartbeat = TimeSpan.FromMinutes(1);

    public static async Task<int> RunAsync(ISweepGrain grain, string sweepId, TimeSpan interval, bool json, bool redraw, CancellationToken ct)
    {
        var spec = (await Transient.RetryAsync(() => grain.GetAsync(ct), ct))?.Spec;
        var statuses = new Dictionary<string, RunStatus>();
        string lastLine = "";
        var lastPrinted = DateTime.MinValue;
        while (true)
        {
            var runs = await Transient.RetryAsync(() => grain.RunsAsync(ct), ct);
            // A run whose stored state cannot be read will not move: it counts as ended, and is named at the end.
            bool done = runs.All(r => r.State.Ended || r.State.Status == RunStatus.Paused || Unreadable(r));
            if (json)
                Console.WriteLine(JsonSerializer.Serialize(Snapshot(sweepId, runs), GrainJson.Options));
            else if (redraw)
            {
                Console.Write("\u001b[H\u001b[2J");
                Console.Write(Frame(sweepId, spec is null ? "" : $"{spec.Family} / {spec.Learner}", runs, DateTime.Now));
                Console.Out.Flush();
            }
            else
            {
                foreach (var r in runs)
                {
                    var was = statuses.GetValueOrDefault(r.State.Id, RunStatus.Pending);
                    if (statuses.ContainsKey(r.State.Id) && was != r.State.Status)
                        Console.WriteLine($"{Now()} run {r.State.Id}: {Lower(was)} → {Lower(r.State.Status)}{Scores(r)}{(r.State.Error is null ? "" : "  error: " + r.State.Error)}");
                    statuses[r.State.Id] = r.State.Status;
                }
                var line = Summary(runs);
                if (line != lastLine || DateTime.UtcNow - lastPrinted >= Heartbeat || done)
                {
                    Console.WriteLine($"{Now()} {sweepId}: {line}");
                    lastLine = line;
                    lastPrinted = DateTime.UtcNow;
                }
            }
            if (done)
            {
                bool allCompleted = runs.All(r => r.State.Status == RunStatus.Completed && !Unreadable(r));
                foreach (var r in runs.Where(Unreadable)) Console.Error.WriteLine($"metarl: run {r.State.Id}: {Untrusted.Clean(r.State.Error)}");
                if (!json) Console.WriteLine(allCompleted ? $"sweep {sweepId}: every run completed; the report: metarl sweep report {sweepId}"
                    : $"sweep {sweepId}: every run ended or is paused, not all completed");
                return allCompleted ? Cli.ExitOk : Cli.ExitFailure;
            }
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
        ? string.Join(" ", phi.Select(p => p[0].ToString("F3", CultureInfo.InvariantCulture)))
        : "";

    /// <summary>The sweep's progress in one line: runs by status, training runs per silo, iterations done.</summary>
    public static string Summary(IReadOnlyList<RunView> runs)
    {
        int Count(RunStatus s) => runs.Count(r => r.State.Status == s);
        var training = runs.Where(r => r.Live.Activity == "training").GroupBy(r => r.Live.Silo).OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => $"{g.Key} {g.Count()}").ToList();
        long done = runs.Sum(r => (long)Math.Max(r.State.Iteration, r.Live.Iteration)), total = runs.Sum(r => (long)r.State.Iterations);
        var sb = new StringBuilder($"{Count(RunStatus.Completed)}/{runs.Count} complete, {training.Count switch { 0 => "0 training", _ => $"training on {string.Join(", ", training)}" }}, {runs.Count(r => r.Live.Activity == "queued")} waiting");
        foreach (var (status, name) in new[] { (RunStatus.Failed, "failed"), (RunStatus.Cancelled, "cancelled"), (RunStatus.Paused, "paused") })
            if (Count(status) > 0) sb.Append($", {Count(status)} {name}");
        if (runs.Count(Unreadable) is > 0 and var unreadable) sb.Append($", {unreadable} unreadable");
        sb.Append($"; iterations {done}/{total}");
        return sb.ToString();
    }

    /// <summary>The terminal view: a header, the summary, and one row per run.</summary>
    public static string Frame(string sweepId, string what, IReadOnlyList<RunView> runs, DateTime now)
    {
        var sb = new StringBuilder();
        sb.AppendLine($"sweep {sweepId}  {what}  {now.ToString("HH:mm:ss", CultureInfo.InvariantCulture)}  (Ctrl-C stops watching, not the runs)");
        sb.AppendLine(Summary(runs));
        sb.AppendLine();
        int width = Math.Max(20, runs.Count == 0 ? 0 : runs.Max(r => r.State.Id.Length));
        sb.AppendLine($"{"run".PadRight(width)}  {"status",-10} {"activity",-10} {"silo",-16} {"iteration",15}  {"mean",10} {"CVaR",10}  CEM φ   (mean, CVaR: the latest training batch; test scores once completed)");
        foreach (var r in runs)
        {
            var s = r.State;
            string iteration = $"{Math.Max(s.Iteration, r.Live.Iteration)}/{s.Iterations}";
            var latest = Latest(r);
            string mean = latest.Mean?.ToString("G4", CultureInfo.InvariantCulture) ?? "";
            string cvar = latest.Cvar?.ToString("G4", CultureInfo.InvariantCulture) ?? "";
            sb.AppendLine($"{s.Id.PadRight(width)}  {Lower(s.Status),-10} {r.Live.Activity,-10} {(r.Live.Activity is "training" or "queued" ? r.Live.Silo : ""),-16} {iteration,15}  {mean,10} {cvar,10}  {Phi(r)}");
        }
        return sb.ToString();
    }

    private static object Snapshot(string sweepId, IReadOnlyList<RunView> runs) => new
    {
        sweep = sweepId,
        time = DateTimeOffset.UtcNow,
        summary = Summary(runs),
        runs = runs.Select(r => new
        {
            id = r.State.Id,
            status = r.State.Status,
            activity = r.Live.Activity,
            silo = r.Live.Silo,
            iteration = Math.Max(r.State.Iteration, r.Live.Iteration),
            iterations = r.State.Iterations,
            scores = Latest(r).Kind,
            mean = Latest(r).Mean,
            cvar = Latest(r).Cvar,
            cemPhi = PhiOf(r),
            error = r.State.Error,
        }),
    };
}
