using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using MetaRl.Client.Cluster;
using MetaRl.Client.Reporting;
using MetaRl.Grains;
using MetaRl.Grains.Hosting;
using MetaRl.Grains.Interfaces;
using MetaRl.Grains.Interfaces.Reports;
using MetaRl.Grains.Interfaces.Specs;
using MetaRl.Grains.Interfaces.State;
using MetaRl.Learning.Training;

namespace MetaRl.Client.Commands;

/// <summary>`metarl sweep …`: submit a sweep, run it here, list, show and report sweeps — all through the sweep grains.</summary>
public static class SweepCommands
{
    private static readonly Argument<string> SpecFile = new("spec") { Description = "Sweep spec (JSON; see docs/SWEEPS.md)" };
    private static readonly Argument<string> SweepId = new("sweep") { Description = "Sweep id (its name)" };
    private static readonly Option<int> Cores = new("--cores") { Description = "Cores the embedded silo's runs may use at once (0: all)", DefaultValueFactory = _ => 0 };
    private static readonly Option<string?> ReportDir = new("--report-dir") { Description = "Where to write the HTML report and SVG plots (default .metarl/reports)" };
    private static readonly Option<int> DashboardPort = new("--dashboard-port") { Description = "Embedded silo: also serve the Orleans Dashboard on 127.0.0.1 at this port", DefaultValueFactory = _ => 0 };
    private static readonly Option<double> Interval = new("--interval") { Description = "Seconds between two looks at the sweep", DefaultValueFactory = _ => 2 };
    private static readonly Option<bool> Plain = new("--plain") { Description = "Plain lines even on a terminal (the default when the output is not one)" };
    private static readonly Option<double> CheckpointSeconds = new("--checkpoint-seconds") { Description = "Embedded silo: checkpoint at least this often", DefaultValueFactory = _ => 30 };

    public static Command Create()
    {
        var sweep = new Command("sweep", "Sweeps: methods × α × seeds runs of one learner on one task family");

        var submit = new Command("submit", "Validate and submit a sweep (idempotent); the cluster's silos train its runs");
        submit.Arguments.Add(SpecFile);
        submit.SetAction(async (parse, ct) =>
        {
            var spec = ReadSpec(parse.GetValue(SpecFile)!);
            await using var cluster = await ClusterConnection.OpenAsync(parse, ConnectMode.Query, ct);
            var state = await SubmitAsync(cluster, spec, ct);
            if (parse.GetValue(GlobalOptions.Json)) Console.WriteLine(JsonSerializer.Serialize(new { state.Id, runs = state.Runs.Count }, SpecJson.Options));
            else Console.WriteLine($"sweep {state.Id}: {state.Runs.Count} runs submitted to {cluster.Description}");
            return Cli.ExitOk;
        });

        var run = new Command("run", "Submit a sweep and train it: in this process (embedded silo; Ctrl-C stops after a checkpoint, the same command resumes) or, on Azure storage, on the cluster's silos; waits until every run ended, then reports");
        run.Arguments.Add(SpecFile);
        run.Options.Add(Cores);
        run.Options.Add(ReportDir);
        run.Options.Add(CheckpointSeconds);
        run.Options.Add(DashboardPort);
        run.SetAction((parse, ct) => RunAsync(parse, ct));

        var check = new Command("check", "Validate a sweep spec and list the runs it expands to; touches no storage (exit 0: valid, 2: not)");
        check.Arguments.Add(SpecFile);
        check.SetAction(parse =>
        {
            var (spec, runs) = ReadSpecWithRuns(parse.GetValue(SpecFile)!);
            if (parse.GetValue(GlobalOptions.Json)) Console.WriteLine(JsonSerializer.Serialize(new { spec.Name, runs = runs.Select(r => r.Run.RunId) }, SpecJson.Options));
            else Console.WriteLine($"sweep spec '{spec.Name}' is valid: {runs.Count} runs of {spec.Learner} on {spec.Family} ({string.Join(", ", spec.Methods)}; α {string.Join(", ", spec.Alpha.Select(a => a.ToString("G6", CultureInfo.InvariantCulture)))}; {spec.Seeds} seeds)");
            // Silos may be larger than this machine: here it is a warning; submission checks against the cluster's silos.
            if (runs.Count > 0 && MemoryFloor.Problem(runs[0].Spec, MemoryFloor.ThisMachine, "this machine") is { } memory)
                Console.Error.WriteLine($"metarl: warning: {memory}; a silo with that much memory can run it");
            return Cli.ExitOk;
        });

        var schema = new Command("schema", "Print the JSON Schema of a sweep spec (docs/sweep-spec.schema.json is this output)");
        schema.SetAction(_ =>
        {
            Console.WriteLine(SweepSpecSchema.Build().ToJsonString(new JsonSerializerOptions { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }));
            return Cli.ExitOk;
        });

        var watch = new Command("watch", "A live view of a sweep: runs by status and silo, iterations, latest mean and CVaR, the CEM's φ; redraws on a terminal, plain lines otherwise; ends when every run ended");
        watch.Arguments.Add(SweepId);
        watch.Options.Add(Interval);
        watch.Options.Add(Plain);
        watch.SetAction(async (parse, ct) =>
        {
            var id = CheckId(parse.GetValue(SweepId)!);
            double seconds = parse.GetValue(Interval);
            if (!(seconds >= 0.2 && seconds <= 3600)) throw new UsageException($"--interval {seconds} is invalid; allowed: 0.2–3600 seconds");
            await using var cluster = await ClusterConnection.OpenAsync(parse, ConnectMode.Query, ct);
            var grain = cluster.Grains.GetGrain<ISweepGrain>(id);
            var state = await Transient.RetryAsync(() => grain.GetAsync(ct), ct) ?? throw new UsageException($"sweep '{id}' does not exist ({cluster.Description})");
            if (!state.Complete && !cluster.TrainsHere && cluster.Description.Contains("only answers", StringComparison.Ordinal))
                Console.Error.WriteLine($"metarl: no silo trains over this folder now; the view will not move until one does (metarl sweep run SPEC, or metarl-silo)");
            try
            {
                return await SweepWatch.RunAsync(grain, id, TimeSpan.FromSeconds(seconds), parse.GetValue(GlobalOptions.Json),
                    redraw: !parse.GetValue(Plain) && !Console.IsOutputRedirected, ct);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                return 130;
            }
        });

        var list = new Command("list", "Sweeps, with progress");
        list.SetAction(async (parse, ct) =>
        {
            await using var cluster = await ClusterConnection.OpenAsync(parse, ConnectMode.Query, ct);
            var sweeps = await Transient.RetryAsync(() => cluster.Grains.GetGrain<ISweepCatalogGrain>(ISweepCatalogGrain.Key).ListAsync(ct), ct);
            var unreadable = sweeps.Where(s => s.Problem is not null).ToList();
            if (parse.GetValue(GlobalOptions.Json)) Console.WriteLine(JsonSerializer.Serialize(sweeps, SpecJson.Options));
            else
            {
                foreach (var s in sweeps.Except(unreadable))
                    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                        $"{Untrusted.Line(s.Id, 80),-30} {Untrusted.Line(s.Family, 60),-20} {Untrusted.Line(s.Learner, 60),-12} {s.Completed,4}/{s.Runs,-4} runs complete{(s.Failed > 0 ? $", {s.Failed} failed" : "")}{(s.Cancelled > 0 ? $", {s.Cancelled} cancelled" : "")}  submitted {s.Submitted:u}"));
                if (sweeps.Count == 0) Console.WriteLine("no sweeps");
            }
            foreach (var s in unreadable) Console.Error.WriteLine($"metarl: sweep {Untrusted.Line(s.Id, 80)}: {Untrusted.Line(s.Problem)}");
            return unreadable.Count == 0 ? Cli.ExitOk : Cli.ExitFailure;
        });

        var show = new Command("show", "A sweep's runs: status, iteration, silo, latest scores");
        show.Arguments.Add(SweepId);
        show.SetAction(async (parse, ct) =>
        {
            var id = CheckId(parse.GetValue(SweepId)!);
            await using var cluster = await ClusterConnection.OpenAsync(parse, ConnectMode.Query, ct);
            var grain = cluster.Grains.GetGrain<ISweepGrain>(id);
            var s = await Transient.RetryAsync(() => grain.GetAsync(ct), ct) ?? throw new UsageException($"sweep '{id}' does not exist ({cluster.Description})");
            var runs = await Transient.RetryAsync(() => grain.RunsAsync(ct), ct);
            if (parse.GetValue(GlobalOptions.Json))
            {
                Console.WriteLine(JsonSerializer.Serialize(new { sweep = s, runs }, GrainJson.Options));
                return Cli.ExitOk;
            }
            Console.WriteLine($"sweep {Untrusted.Line(s.Id, 80)}: {Untrusted.Line(s.Spec.Family, 60)} / {Untrusted.Line(s.Spec.Learner, 60)}, {s.Completed}/{s.Runs.Count} complete");
            foreach (var r in runs) Console.WriteLine(RunLine(r));
            var unreadable = runs.Where(r => r.Live.Activity == StoredData.Unreadable).ToList();
            foreach (var r in unreadable) Console.Error.WriteLine($"metarl: run {Untrusted.Line(r.State.Id, 80)}: {Untrusted.Line(r.State.Error)}");
            return unreadable.Count == 0 ? Cli.ExitOk : Cli.ExitFailure;
        });

        var report = new Command("report", "Mean and CVaR per method and α with 95% CIs; CVaR-vs-α and learning-curve plots (SVG, HTML)");
        report.Arguments.Add(SweepId);
        report.Options.Add(ReportDir);
        report.SetAction(async (parse, ct) =>
        {
            var id = CheckId(parse.GetValue(SweepId)!);
            if (parse.GetValue(ReportDir) is { } reportDir) GlobalOptions.CheckFolder(reportDir, "--report-dir");
            await using var cluster = await ClusterConnection.OpenAsync(parse, ConnectMode.Query, ct);
            var data = await Transient.RetryAsync(() => cluster.Grains.GetGrain<ISweepGrain>(id).ReportAsync(ct), ct) ?? throw new UsageException($"sweep '{id}' does not exist ({cluster.Description})");
            if (parse.GetValue(GlobalOptions.Json)) Console.WriteLine(JsonSerializer.Serialize(data, SpecJson.Options));
            else
            {
                Console.Write(SweepReportRenderer.Table(data));
                Console.WriteLine($"report: {WriteReport(data, parse.GetValue(ReportDir))}");
            }
            return ReportProblems(data);
        });

        foreach (var c in new[] { check, schema, submit, run, watch, list, show, report }) sweep.Subcommands.Add(c);
        return sweep;
    }

    public static string RunLine(RunView r)
    {
        var s = r.State;
        var scores = r.Live.LastMeanScore is { } mean ? string.Create(CultureInfo.InvariantCulture, $"  mean {mean:G4} CVaR {r.Live.LastCvarScore:G4}") : "";
        var where = s.Status == RunStatus.Running || r.Live.Activity is "training" or "queued" ? $" on {Untrusted.Line(r.Live.Silo, 60)} ({Untrusted.Line(r.Live.Activity, 20)})" : "";
        return $"  {Untrusted.Line(s.Id, 80),-40} {s.Status,-10} iteration {Math.Max(s.Iteration, r.Live.Iteration),6}/{s.Iterations,-6}{where}{scores}{(s.Error is null ? "" : "  error: " + Untrusted.Line(s.Error))}";
    }

    private static string CheckId(string id) =>
        GrainKey.IsValidSegment(id) ? id : throw new UsageException($"sweep id {Untrusted.Quote(id)} is invalid; allowed: lowercase letters, digits, '.', '_' and '-'");

    /// <summary>The spec file, parsed and validated (its own fields and every run it expands to) before any cluster or storage is touched.</summary>
    public static SweepSpec ReadSpec(string path) => ReadSpecWithRuns(path).Spec;

    /// <summary>The spec and the runs it expands to; every problem is a <see cref="UsageException"/> (exit 2), before anything is written.</summary>
    public static (SweepSpec Spec, IReadOnlyList<SweepExpansion.ExpandedRun> Runs) ReadSpecWithRuns(string path)
    {
        const long MaxBytes = 1 << 20;
        string text = UserFiles.ReadText(path, "sweep spec", MaxBytes);
        SweepSpec spec;
        try
        {
            spec = JsonSerializer.Deserialize<SweepSpec>(text, GrainJson.UserInput) ?? throw new UsageException($"sweep spec {Untrusted.Quote(path)} is null; allowed: a JSON object (docs/SWEEPS.md)");
        }
        catch (JsonException e)
        {
            throw new UsageException($"the sweep spec is invalid (nothing was written):\n  {Untrusted.Problem(SpecJsonErrors.Describe(e, "sweep", typeof(SweepSpec)))}");
        }
        try
        {
            return (spec, SweepExpansion.Expand(spec));
        }
        catch (SpecException e)
        {
            throw new UsageException("the sweep spec is invalid (nothing was written):\n  " + string.Join("\n  ", e.Problems.Select(p => Untrusted.Problem(p))));
        }
    }

    private static async Task<SweepState> SubmitAsync(ClusterConnection cluster, SweepSpec spec, CancellationToken ct)
    {
        var result = await Transient.RetryAsync(() => cluster.Grains.GetGrain<ISweepGrain>(spec.Name).SubmitAsync(spec, ct), ct);
        return result.Outcome switch
        {
            SubmitOutcome.Created or SubmitOutcome.Unchanged => result.Sweep!,
            SubmitOutcome.Conflict => throw new UsageException(Untrusted.Problem(string.Join("; ", result.Problems))),
            _ => throw new UsageException($"the sweep was refused (nothing was written):\n  {string.Join("\n  ", result.Problems.Select(p => Untrusted.Problem(p)))}"),
        };
    }

    private static async Task<int> RunAsync(ParseResult parse, CancellationToken ct)
    {
        var (spec, expanded) = ReadSpecWithRuns(parse.GetValue(SpecFile)!);
        // A sweep this process's own silo could not train is refused before that silo claims the folder or writes anything.
        IReadOnlyList<string> Refusals(SiloView here) => SweepPlaceability.Problems(spec, expanded, [here]);
        if (parse.GetValue(ReportDir) is { } reportDir) GlobalOptions.CheckFolder(reportDir, "--report-dir");
        int cores = parse.GetValue(Cores);
        int dashboard = parse.GetValue(DashboardPort);
        if (dashboard is < 0 or > 65535) throw new UsageException($"--dashboard-port {dashboard} is invalid; allowed: a port 1–65535 (0: no dashboard)");
        double checkpointSeconds = parse.GetValue(CheckpointSeconds);
        if (cores < 0) throw new UsageException($"--cores {cores} is invalid; allowed: 0 (all) or more");
        if (!(checkpointSeconds >= 1 && checkpointSeconds <= 86400)) throw new UsageException($"--checkpoint-seconds {checkpointSeconds} is invalid; allowed: 1–86400");
        var silo = new Dictionary<string, string?>
        {
            ["Silo:CoreBudget"] = cores.ToString(CultureInfo.InvariantCulture),
            ["Silo:CheckpointInterval"] = TimeSpan.FromSeconds(checkpointSeconds).ToString("c", CultureInfo.InvariantCulture),
            ["Silo:OnlySweep"] = spec.Name,
        };
        var folder = GlobalOptions.StorageFrom(parse).LocalPath;
        SweepState state;
        List<RunView> runs;
        SweepReportData? data;
        var cluster = await ClusterConnection.OpenAsync(parse, ConnectMode.Train, ct, silo, dashboard, Refusals);
        while (true)
        {
            // The folder's silo is another `sweep run`'s, which trains its own sweep only: store this sweep
            // now, wait for that process to let go of the folder, then train here.
            if (cluster.LocalServer is { OnlySweep: { } other } server && other != spec.Name)
            {
                try
                {
                    await SubmitAsync(cluster, spec, ct);
                }
                finally
                {
                    await cluster.DisposeAsync();
                }
                Console.WriteLine($"sweep {spec.Name}: submitted; the silo serving this folder (process {server.ProcessId}) is the 'metarl sweep run' of sweep {Untrusted.Quote(other)} and trains that sweep only; training here once it ends (Ctrl-C stops waiting; the same command continues)");
                try
                {
                    while (LocalSilo.Find(folder)?.ProcessId == server.ProcessId) await Task.Delay(TimeSpan.FromSeconds(1), ct);
                }
                catch (OperationCanceledException) when (ct.IsCancellationRequested)
                {
                    Console.WriteLine("stopped waiting; the sweep is stored, and 'metarl sweep run' with the same spec trains it");
                    return 130;
                }
                cluster = await ClusterConnection.OpenAsync(parse, ConnectMode.Train, ct, silo, dashboard, Refusals);
                continue;
            }
            // A client of another process's silo on this folder (the same sweep's `sweep run`, or a metarl-silo):
            // when that process lets go of the folder, this one takes it over and goes on.
            var served = cluster.LocalServer;
            Func<bool> letGo = served is null ? () => false : () => LocalSilo.Find(folder)?.ProcessId != served.ProcessId;
            if (cluster.Dashboard is not null) Console.WriteLine($"Orleans Dashboard: {cluster.Dashboard}");
            else if (dashboard > 0) Console.WriteLine($"--dashboard-port: this process does not host the silo ({cluster.Description}); the silos serve their dashboards (metarl-silo --dashboard-port N)");
            try
            {
                state = await SubmitAsync(cluster, spec, ct);
                Console.WriteLine(cluster.TrainsHere
                    ? $"sweep {state.Id}: {state.Runs.Count} runs, training in this process (Ctrl-C stops after a checkpoint; the same command resumes)"
                    : $"sweep {state.Id}: {state.Runs.Count} runs, training on {cluster.Description}; waiting for them (Ctrl-C stops waiting, not the runs)");
                var display = Console.IsOutputRedirected ? SweepWatch.Display.Plain : SweepWatch.Display.Redraw;
                runs = await SweepWatch.FollowAsync(cluster.Grains.GetGrain<ISweepGrain>(state.Id), state.Id, TimeSpan.FromSeconds(1), display,
                    cluster.TrainsHere ? "Ctrl-C stops after a checkpoint; the same command resumes" : "Ctrl-C stops waiting, not the runs", ct, letGo);
                data = await Transient.RetryAsync(() => cluster.Grains.GetGrain<ISweepGrain>(state.Id).ReportAsync(CancellationToken.None), ct, letGo);
                break;
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                Console.WriteLine(cluster.TrainsHere ? "stopping: every run finishes its iteration and checkpoints; run the same command again to continue" : "stopped waiting; the runs go on");
                await cluster.DisposeAsync();
                return 130;
            }
            catch (Exception e) when (served is not null && e is not (UsageException or OperationCanceledException))
            {
                // Its silo is stopping (its sweep ended, or it was stopped) while this one watched: once it lets go of the folder, take it over.
                if (!await LetsGoAsync(letGo, ct)) throw;
                await cluster.DisposeAsync();
                Console.WriteLine($"sweep {spec.Name}: the silo serving this folder (process {served.ProcessId}) stopped; taking the folder over");
                cluster = await ClusterConnection.OpenAsync(parse, ConnectMode.Train, ct, silo, dashboard, Refusals);
            }
        }
        string? telemetry = cluster.Telemetry;
        await cluster.DisposeAsync();

        if (telemetry is not null) Console.WriteLine($"telemetry: {telemetry}");
        Console.Write(SweepReportRenderer.Table(data!));
        Console.WriteLine($"report: {WriteReport(data!, parse.GetValue(ReportDir))}");
        if (ReportProblems(data!) != Cli.ExitOk) return Cli.ExitFailure;
        var unfinished = runs.Where(r => r.State.Status != RunStatus.Completed).ToList();
        foreach (var r in unfinished)
            Console.Error.WriteLine($"metarl: run {Untrusted.Line(r.State.Id, 80)} {r.State.Status.ToString().ToLowerInvariant()}{(r.State.Error is null ? "" : ": " + Untrusted.Line(r.State.Error))}");
        return unfinished.Count == 0 ? Cli.ExitOk : Cli.ExitFailure;
    }

    /// <summary>Whether the process serving the folder lets go of it within a minute (it stops after its runs checkpointed).</summary>
    private static async Task<bool> LetsGoAsync(Func<bool> letGo, CancellationToken ct)
    {
        for (var waited = System.Diagnostics.Stopwatch.StartNew(); waited.Elapsed < TimeSpan.FromMinutes(1); await Task.Delay(250, ct))
            if (letGo()) return true;
        return false;
    }

    /// <summary>Stored items the report had to leave out, named on stderr; exit 1 when there are any.</summary>
    private static int ReportProblems(SweepReportData data)
    {
        foreach (var p in data.Problems) Console.Error.WriteLine($"metarl: {Untrusted.Line(p)}");
        return data.Problems.Count == 0 ? Cli.ExitOk : Cli.ExitFailure;
    }

    public static string WriteReport(SweepReportData data, string? dir)
    {
        dir ??= Path.Combine(".metarl", "reports");
        try
        {
            var html = Path.GetFullPath(SweepReportRenderer.Write(data, dir));
            return html;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new UsageException($"--report-dir: {Untrusted.Line(e.Message)} ({Untrusted.Quote(dir)})");
        }
    }
}
