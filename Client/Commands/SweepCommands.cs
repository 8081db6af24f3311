using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using MetaRl.Client.Reporting;
using MetaRl.Grains;
using MetaRl.Grains.Hosting;
using MetaRl.Grains.Interfaces;
using MetaRl.Grains.Interfaces.Specs;
using MetaRl.Grains.Interfaces.State;
using MetaRl.Grains.Reporting;
using MetaRl.Grains.Telemetry;
using MetaRl.Storage;

namespace MetaRl.Client.Commands;

/// <summary>`metarl sweep …`: submit a sweep, run it here, list, show and report sweeps.</summary>
public static class SweepCommands
{
    private static readonly Argument<string> SpecFile = new("spec") { Description = "Sweep spec (JSON; see docs/SWEEPS.md)" };
    private static readonly Argument<string> SweepId = new("sweep") { Description = "Sweep id (its name)" };
    private static readonly Option<int> Cores = new("--cores") { Description = "Cores the embedded silo may use (0: all)", DefaultValueFactory = _ => 0 };
    private static readonly Option<string?> ReportDir = new("--report-dir") { Description = "Where to write the HTML report and SVG plots (default .metarl/reports)" };
    private static readonly Option<double> CheckpointSeconds = new("--checkpoint-seconds") { Description = "Embedded silo: checkpoint at least this often", DefaultValueFactory = _ => 30 };

    public static Command Create()
    {
        var sweep = new Command("sweep", "Sweeps: methods × α × seeds runs of one learner on one task family");

        var submit = new Command("submit", "Validate and submit a sweep (idempotent); silos pick its runs up");
        submit.Arguments.Add(SpecFile);
        submit.SetAction(async (parse, ct) =>
        {
            var spec = ReadSpec(parse.GetValue(SpecFile)!);
            ValidateOrThrow(spec);
            var store = await ClientStorage.OpenAsync(parse, ct, create: true);
            var state = await SubmitAsync(store, spec, ct);
            if (parse.GetValue(GlobalOptions.Json)) Console.WriteLine(JsonSerializer.Serialize(new { state.Id, runs = state.Runs.Count }, SpecJson.Options));
            else Console.WriteLine($"sweep {state.Id}: {state.Runs.Count} runs submitted to {store.Location}");
            return Cli.ExitOk;
        });

        var run = new Command("run", "Submit a sweep and execute it in this process (an embedded silo) until it completes, then report");
        run.Arguments.Add(SpecFile);
        run.Options.Add(Cores);
        run.Options.Add(ReportDir);
        run.Options.Add(CheckpointSeconds);
        run.SetAction((parse, ct) => RunAsync(parse, ct));

        var list = new Command("list", "Sweeps in the store, with progress");
        list.SetAction(async (parse, ct) =>
        {
            var store = await ClientStorage.OpenAsync(parse, ct);
            var rows = new List<object>();
            await foreach (var item in store.ListAsync(StoragePaths.SweepsPrefix, ct))
            {
                if (!item.Path.EndsWith("/state.json", StringComparison.Ordinal)) continue;
                var s = (await store.ReadAsync<SweepState>(item.Path, ct))?.Value;
                if (s is null) continue;
                rows.Add(new { s.Id, s.Spec.Family, s.Spec.Learner, runs = s.Runs.Count, completed = s.Results.Count, s.Submitted });
                if (!parse.GetValue(GlobalOptions.Json))
                    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{s.Id,-30} {s.Spec.Family,-20} {s.Spec.Learner,-12} {s.Results.Count,4}/{s.Runs.Count,-4} runs complete  submitted {s.Submitted:u}"));
            }
            if (parse.GetValue(GlobalOptions.Json)) Console.WriteLine(JsonSerializer.Serialize(rows, SpecJson.Options));
            return Cli.ExitOk;
        });

        var show = new Command("show", "A sweep's runs and their status");
        show.Arguments.Add(SweepId);
        show.SetAction(async (parse, ct) =>
        {
            var store = await ClientStorage.OpenAsync(parse, ct);
            var id = parse.GetValue(SweepId)!;
            var s = await new GrainFactory(store).Sweep(CheckId(id)).GetAsync(ct) ?? throw new UsageException($"sweep '{id}' does not exist in {store.Location}");
            var runs = new List<RunState?>();
            foreach (var r in s.Runs) runs.Add((await store.ReadAsync<RunState>(StoragePaths.Run(r.RunId), ct))?.Value);
            if (parse.GetValue(GlobalOptions.Json))
            {
                Console.WriteLine(JsonSerializer.Serialize(new { sweep = s, runs }, GrainJson.Options));
                return Cli.ExitOk;
            }
            Console.WriteLine($"sweep {s.Id}: {s.Spec.Family} / {s.Spec.Learner}, {s.Results.Count}/{s.Runs.Count} complete");
            foreach (var r in runs.Where(r => r is not null))
                Console.WriteLine($"  {r!.Id,-40} {r.Status,-10} iteration {r.Iteration,6}/{r.Iterations,-6} {(r.Owner is null ? "" : "on " + r.Owner)}{(r.Error is null ? "" : "  error: " + r.Error)}");
            return Cli.ExitOk;
        });

        var report = new Command("report", "Mean and CVaR per method and α with 95% CIs; CVaR-vs-α and learning-curve plots (SVG, HTML)");
        report.Arguments.Add(SweepId);
        report.Options.Add(ReportDir);
        report.SetAction(async (parse, ct) =>
        {
            var store = await ClientStorage.OpenAsync(parse, ct);
            var id = CheckId(parse.GetValue(SweepId)!);
            SweepReportData data;
            try
            {
                data = await SweepReport.BuildAsync(store, id, ct);
            }
            catch (KeyNotFoundException e)
            {
                throw new UsageException(e.Message);
            }
            if (parse.GetValue(GlobalOptions.Json)) Console.WriteLine(JsonSerializer.Serialize(data, SpecJson.Options));
            else
            {
                Console.Write(SweepReportRenderer.Table(data));
                Console.WriteLine($"report: {WriteReport(data, parse.GetValue(ReportDir))}");
            }
            return Cli.ExitOk;
        });

        foreach (var c in new[] { submit, run, list, show, report }) sweep.Subcommands.Add(c);
        return sweep;
    }

    private static string CheckId(string id) =>
        GrainKey.IsValidSegment(id) ? id : throw new UsageException($"sweep id '{id}' is invalid; allowed: lowercase letters, digits, '.', '_' and '-'");

    public static SweepSpec ReadSpec(string path)
    {
        if (!File.Exists(path)) throw new UsageException($"sweep spec '{path}' not found");
        try
        {
            return JsonSerializer.Deserialize<SweepSpec>(File.ReadAllText(path), GrainJson.UserInput) ?? throw new UsageException($"sweep spec '{path}' is empty");
        }
        catch (JsonException e)
        {
            throw new UsageException($"sweep spec {path}: {e.Message}");
        }
    }

    /// <summary>Every problem of the spec (its own fields and every run it expands to), before the store is touched.</summary>
    private static void ValidateOrThrow(SweepSpec spec)
    {
        try
        {
            SweepExpansion.Expand(spec);
        }
        catch (SpecException e)
        {
            throw new UsageException("the sweep spec is invalid (nothing was written):\n  " + string.Join("\n  ", e.Problems));
        }
    }

    private static async Task<SweepState> SubmitAsync(IBlobStore store, SweepSpec spec, CancellationToken ct)
    {
        try
        {
            return await new GrainFactory(store).Sweep(spec.Name).SubmitAsync(spec, ct);
        }
        catch (SpecException e)
        {
            throw new UsageException("the sweep spec is invalid (nothing was written):\n  " + string.Join("\n  ", e.Problems));
        }
        catch (SweepConflictException e)
        {
            throw new UsageException(e.Message);
        }
    }

    private static async Task<int> RunAsync(ParseResult parse, CancellationToken ct)
    {
        var spec = ReadSpec(parse.GetValue(SpecFile)!);
        ValidateOrThrow(spec);
        var store = await ClientStorage.OpenAsync(parse, ct, create: true);
        var state = await SubmitAsync(store, spec, ct);
        Console.WriteLine($"sweep {state.Id}: {state.Runs.Count} runs in {store.Location}; executing them here (Ctrl-C stops after a checkpoint; run again to continue)");
        var options = new SiloOptions
        {
            CoreBudget = parse.GetValue(Cores),
            Executor = new Grains.Execution.ExecutorOptions { CheckpointInterval = TimeSpan.FromSeconds(Math.Max(1, parse.GetValue(CheckpointSeconds))) },
        };
        using var telemetry = TelemetrySetup.Start("metarl", options.SiloId, Path.Combine(".metarl", "telemetry", $"{options.SiloId}.jsonl"), TimeSpan.FromSeconds(10));
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var worker = new SiloWorker(store, options, m => Console.WriteLine($"  {m}"));
        var watcher = Task.Run(async () =>
        {
            int last = -1;
            while (!stop.IsCancellationRequested)
            {
                var s = await new GrainFactory(store).Sweep(state.Id).GetAsync(stop.Token);
                if (s is not null && s.Results.Count != last)
                {
                    last = s.Results.Count;
                    Console.WriteLine($"sweep {state.Id}: {last}/{s.Runs.Count} runs complete");
                }
                if (s?.Complete == true)
                {
                    stop.Cancel();
                    return;
                }
                await Task.Delay(TimeSpan.FromSeconds(2), stop.Token);
            }
        }, stop.Token);
        await worker.RunAsync(stop.Token);
        try
        {
            await watcher;
        }
        catch (OperationCanceledException)
        {
        }
        var data = await SweepReport.BuildAsync(store, state.Id, CancellationToken.None);
        Console.Write(SweepReportRenderer.Table(data));
        Console.WriteLine($"report: {WriteReport(data, parse.GetValue(ReportDir))}");
        Console.WriteLine($"telemetry: {telemetry.Destination}");
        return data.Completed == data.Runs ? Cli.ExitOk : Cli.ExitFailure;
    }

    private static string WriteReport(SweepReportData data, string? dir)
    {
        dir ??= Path.Combine(".metarl", "reports");
        Directory.CreateDirectory(dir);
        var html = Path.Combine(dir, $"{data.SweepId}.html");
        File.WriteAllText(html, SweepReportRenderer.Html(data));
        File.WriteAllText(Path.Combine(dir, $"{data.SweepId}-cvar-vs-alpha.svg"), SweepReportRenderer.CvarVsAlpha(data));
        File.WriteAllText(Path.Combine(dir, $"{data.SweepId}-learning-curves.svg"), SweepReportRenderer.LearningCurves(data));
        File.WriteAllText(Path.Combine(dir, $"{data.SweepId}-validation-cvar.svg"), SweepReportRenderer.ValidationCvarCurves(data));
        return html;
    }
}
