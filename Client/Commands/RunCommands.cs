using System.CommandLine;
using System.Globalization;
using System.Text;
using System.Text.Json;
using MetaRl.Client.Cluster;
using MetaRl.Grains;
using MetaRl.Grains.Interfaces;
using MetaRl.Grains.Interfaces.State;
using MetaRl.Learning.Training;

namespace MetaRl.Client.Commands;

/// <summary>`metarl run …`: a run's live state and metrics, and pause / resume / cancel — asked of its meta-policy grain.</summary>
public static class RunCommands
{
    private static readonly Argument<string> RunId = new("run") { Description = "Run id" };
    private static readonly Option<bool> Follow = new("--follow", "-f") { Description = "Keep printing new lines as checkpoints commit them, until the run ends" };
    private static readonly Option<int> Last = new("--last") { Description = "Only the last N lines", DefaultValueFactory = _ => 0 };

    public static Command Create()
    {
        var run = new Command("run", "One training run (a meta-policy grain)");

        var show = new Command("show", "The run's state and live progress (iteration, status, silo, checkpoints)");
        show.Arguments.Add(RunId);
        show.SetAction(async (parse, ct) =>
        {
            var id = CheckId(parse.GetValue(RunId)!);
            await using var cluster = await ClusterConnection.OpenAsync(parse, ConnectMode.Query, ct);
            var view = await Transient.RetryAsync(() => cluster.Grains.GetGrain<IMetaPolicyGrain>(id).GetAsync(ct), ct) ?? throw new UsageException($"run '{id}' does not exist ({cluster.Description})");
            bool json = parse.GetValue(GlobalOptions.Json);
            var shown = json ? view : view with { State = view.State with { SpecJson = "(see --json)" } };
            Console.WriteLine(JsonSerializer.Serialize(shown, new JsonSerializerOptions(GrainJson.Options) { WriteIndented = !json }));
            return Cli.ExitOk;
        });

        var tail = new Command("tail", "The run's metrics, one line per committed iteration (--json: the stored JSON lines)");
        tail.Arguments.Add(RunId);
        tail.Options.Add(Follow);
        tail.Options.Add(Last);
        tail.SetAction(async (parse, ct) =>
        {
            var id = CheckId(parse.GetValue(RunId)!);
            int last = parse.GetValue(Last);
            if (last < 0) throw new UsageException($"--last {last} is invalid; allowed: 0 (all) or more");
            await using var cluster = await ClusterConnection.OpenAsync(parse, ConnectMode.Query, ct);
            var grain = cluster.Grains.GetGrain<IMetaPolicyGrain>(id);
            if (await Transient.RetryAsync(() => grain.GetAsync(ct), ct) is null) throw new UsageException($"run '{id}' does not exist ({cluster.Description})");
            var stored = await Transient.RetryAsync(() => grain.MetricsAsync(0, ct), ct);
            bool json = parse.GetValue(GlobalOptions.Json);
            var lines = stored.Lines;
            Func<string, string?> format = json ? StoredLinePrinter.AsJson : MetricLine;
            int skipped = last > 0 ? Math.Max(0, lines.Count - last) : 0;
            int code = StoredLinePrinter.Print(lines.Skip(skipped), skipped, "metric", $"run {id}", format);
            int shown = lines.Count;
            while (stored.Problem is null && parse.GetValue(Follow) && !ct.IsCancellationRequested)
            {
                var view = await Transient.RetryAsync(() => grain.GetAsync(ct), ct);
                stored = await Transient.RetryAsync(() => grain.MetricsAsync(shown, ct), ct);
                code = Math.Max(code, StoredLinePrinter.Print(stored.Lines, shown, "metric", $"run {id}", format));
                shown += stored.Lines.Count;
                if (view is null || view.State.Ended) break;
                if (stored.Problem is null) await Task.Delay(TimeSpan.FromSeconds(2), ct);
            }
            // The lines before the damage were shown; the damaged blob is named.
            if (stored.Problem is { } problem)
            {
                Console.Error.WriteLine($"metarl: run {id}: {Untrusted.Line(problem)}");
                return Cli.ExitFailure;
            }
            return code;
        });

        foreach (var (name, desire, text) in new[]
                 {
                     ("cancel", RunDesire.Cancel, "Stop the run for good (after its current iteration)"),
                     ("pause", RunDesire.Pause, "Stop the run after its current iteration and a checkpoint; 'resume' continues it"),
                     ("resume", RunDesire.Run, "Let a paused run continue, or try a failed one again from its last checkpoint"),
                 })
        {
            var c = new Command(name, text);
            c.Arguments.Add(RunId);
            c.SetAction(async (parse, ct) =>
            {
                var id = CheckId(parse.GetValue(RunId)!);
                await using var cluster = await ClusterConnection.OpenAsync(parse, ConnectMode.Query, ct);
                var view = await Transient.RetryAsync(() => cluster.Grains.GetGrain<IMetaPolicyGrain>(id).RequestAsync(desire, ct), ct) ?? throw new UsageException($"run '{id}' does not exist ({cluster.Description})");
                var s = view.State;
                if (s.Ended && !(desire == RunDesire.Cancel && s.Status == RunStatus.Cancelled))
                    Console.WriteLine($"run {id} already ended ({s.Status.ToString().ToLowerInvariant()}); nothing to {name}");
                else if (desire == RunDesire.Run && !cluster.TrainsHere && view.Live.Activity == "idle" && cluster.Description.Contains("only answers", StringComparison.Ordinal))
                    Console.WriteLine($"run {id}: resumed; it trains once a silo runs (locally: run its sweep again with 'metarl sweep run SPEC')");
                else Console.WriteLine($"run {id}: {name} requested ({s.Status.ToString().ToLowerInvariant()}, {Untrusted.Line(view.Live.Activity, 40)})");
                return Cli.ExitOk;
            });
            run.Subcommands.Add(c);
        }
        run.Subcommands.Add(show);
        run.Subcommands.Add(tail);
        return run;
    }

    /// <summary>One stored metric line (JSON) as a line a person reads; null when it is not a metric line.</summary>
    public static string? MetricLine(string json)
    {
        IterationMetrics? m;
        try
        {
            m = JsonSerializer.Deserialize<IterationMetrics>(json, GrainJson.Options);
        }
        catch (JsonException)
        {
            m = null;
        }
        if (m is null) return null;
        var sb = new StringBuilder(string.Create(CultureInfo.InvariantCulture, $"iteration {m.Iteration,6}  mean {m.MeanScore,10:G5}  CVaR_{m.Alpha:G3} {m.CvarScore,10:G5}  pre-adaptation mean {m.MeanPreScore,10:G5}  steps {m.TotalEnvironmentSteps,12:N0}"));
        if (m.Validation is { } v) sb.Append(string.Create(CultureInfo.InvariantCulture, $"  validation mean {v.Mean:G5} CVaR {v.Cvar:G5}"));
        if (m.CemPhi is { Length: > 0 } phi) sb.Append("  CEM φ ").Append(string.Join(" ", phi.Select(p => p[0].ToString("F3", CultureInfo.InvariantCulture))));
        return sb.ToString();
    }

    private static string CheckId(string id) =>
        GrainKey.IsValidSegment(id) ? id : throw new UsageException($"run id {Untrusted.Quote(id)} is invalid; allowed: lowercase letters, digits, '.', '_' and '-'");
}
