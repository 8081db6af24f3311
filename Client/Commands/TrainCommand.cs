using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using MetaRl.Grains;
using MetaRl.Learning.Environments;
using MetaRl.Learning.Evaluation;
using MetaRl.Learning.Robust;
using MetaRl.Learning.Training;

namespace MetaRl.Client.Commands;

/// <summary>
/// `metarl train`: one training run in this process, from flags or a JSON run spec, printing
/// progress and the final test evaluation (selected checkpoint and final model: mean and CVaR_α).
/// </summary>
public static class TrainCommand
{
    private static readonly Option<string?> SpecFile = new("--spec") { Description = "A JSON run spec (fields of RunSpec, camelCase); flags override it" };
    private static readonly Option<string?> Family = new("--family") { Description = "Task family (see docs/TASK_FAMILIES.md)" };
    private static readonly Option<string?> Learner = new("--learner") { Description = $"The meta-learner: {Learners.Listed}" };
    private static readonly Option<string?> Method = new("--method") { Description = $"The robust method: {string.Join(", ", RobustMethods.All)}" };
    private static readonly Option<double?> Alpha = new("--alpha") { Description = "CVaR level α in (0, 1]" };
    private static readonly Option<ulong?> Seed = new("--seed") { Description = "Run seed" };
    private static readonly Option<int?> Iterations = new("--iterations") { Description = "Meta-iterations" };
    private static readonly Option<int?> MetaBatch = new("--meta-batch") { Description = "Tasks per meta-iteration" };
    private static readonly Option<int?> Episodes = new("--episodes-per-task") { Description = "Rollouts per task and phase (RL)" };
    private static readonly Option<int?> CemBatch = new("--cem-batch") { Description = "Tasks per CEM update (RoML; a multiple of --meta-batch)" };
    private static readonly Option<int?> TestTasks = new("--test-tasks") { Description = "Fixed test tasks for the final evaluation" };
    private static readonly Option<int?> ValidationTasks = new("--validation-tasks") { Description = "Fixed validation tasks for checkpoint selection" };
    private static readonly Option<int?> ValidateEvery = new("--validate-every") { Description = "Validate every this many iterations (0: never)" };
    private static readonly Option<bool> SoftAlpha = new("--soft-alpha") { Description = "RoML's soft α schedule (from the mean to α at 80% of training)" };
    private static readonly Option<int> LogEvery = new("--log-every") { Description = "Print a progress line every this many iterations", DefaultValueFactory = _ => 10 };
    private static readonly Option<string?> SaveModel = new("--save-model") { Description = "Write the model (spec, selected and final parameters) to this file, for 'metarl evaluate'" };
    private static readonly Option<string?> Out = new("--out") { Description = "Write the result (per-task scores, CEM history summary, metrics) as JSON to this file" };

    public static Command Create()
    {
        var command = new Command("train", "Run one training run here and report mean and CVaR of the test returns");
        foreach (var o in new Option[] { SpecFile, Family, Learner, Method, Alpha, Seed, Iterations, MetaBatch, Episodes, CemBatch, TestTasks, ValidationTasks, ValidateEvery, SoftAlpha, LogEvery, SaveModel, Out })
            command.Options.Add(o);
        command.SetAction((parse, ct) => Task.FromResult(Run(parse, ct)));
        return command;
    }

    /// <summary>A run spec file (the fields of RunSpec; a run's stored specJson is one): strict JSON, errors in the spec's own terms.</summary>
    private static RunSpec ReadRunSpec(string path)
    {
        var text = UserFiles.ReadText(path, "--spec", 1 << 20);
        try
        {
            return JsonSerializer.Deserialize<RunSpec>(text, GrainJson.UserInput) ?? throw new UsageException($"--spec {Untrusted.Quote(path)} is null; allowed: a JSON object with a run spec's fields (Learning/Training/RunSpec.cs; docs/SWEEPS.md, \"run\")");
        }
        catch (JsonException e)
        {
            throw new UsageException($"--spec {Untrusted.Quote(path)} is invalid: {Untrusted.Problem(SpecJsonErrors.Describe(e, "run", typeof(RunSpec)))}");
        }
    }

    public static RunSpec SpecFrom(ParseResult parse)
    {
        var path = parse.GetValue(SpecFile);
        RunSpec spec;
        if (path is null) spec = new RunSpec();
        else spec = ReadRunSpec(path);
        spec = spec with
        {
            Family = parse.GetValue(Family) ?? spec.Family,
            Learner = parse.GetValue(Learner) ?? spec.Learner,
            Method = parse.GetValue(Method) ?? spec.Method,
            Alpha = parse.GetValue(Alpha) ?? spec.Alpha,
            Seed = parse.GetValue(Seed) ?? spec.Seed,
            Iterations = parse.GetValue(Iterations) ?? spec.Iterations,
            MetaBatch = parse.GetValue(MetaBatch) ?? spec.MetaBatch,
            SoftAlphaSchedule = parse.GetValue(SoftAlpha) || spec.SoftAlphaSchedule,
        };
        if (parse.GetValue(Episodes) is { } e) spec = spec with { Rl = spec.Rl with { EpisodesPerTask = e } };
        if (parse.GetValue(CemBatch) is { } c) spec = spec with { Cem = spec.Cem with { BatchSize = c } };
        if (parse.GetValue(TestTasks) is { } t) spec = spec with { Evaluation = spec.Evaluation with { TestTasks = t } };
        if (parse.GetValue(ValidationTasks) is { } v) spec = spec with { Evaluation = spec.Evaluation with { ValidationTasks = v } };
        if (parse.GetValue(ValidateEvery) is { } ve) spec = spec with { Evaluation = spec.Evaluation with { ValidateEvery = ve } };
        var errors = spec.Validate();
        if (errors.Count > 0) throw new UsageException(string.Join("; ", errors.Select(e => Untrusted.Problem(e))));
        if (MemoryFloor.Problem(spec, MemoryFloor.ThisMachine, "this machine") is { } memory) throw new UsageException(memory);
        return spec;
    }

    /// <summary>The file system's limits: a name of at most 255 bytes, a path of at most 4095 (Linux's NAME_MAX and PATH_MAX).</summary>
    public const int MaxNameBytes = 255, MaxPathBytes = 4095;

    /// <summary>
    /// An output file named by the user: checked before any work (its name within the file system's
    /// limits, its folder exists, it is not a folder, it can be written). Returns its full path.
    /// </summary>
    public static string CheckOutputFile(string path, string option)
    {
        if (string.IsNullOrWhiteSpace(path) || path.Any(char.IsControl)) throw new UsageException($"{option} {Untrusted.Quote(path)} is invalid; allowed: a file path (no control characters)");
        string full;
        try
        {
            full = Path.GetFullPath(path);
        }
        catch (Exception e) when (e is ArgumentException or NotSupportedException or PathTooLongException)
        {
            throw new UsageException($"{option} is invalid: {Untrusted.Line(e.Message)} ({Untrusted.Quote(path)})");
        }
        int pathBytes = System.Text.Encoding.UTF8.GetByteCount(full);
        if (pathBytes > MaxPathBytes) throw new UsageException($"{option}: the path is {pathBytes} bytes long; allowed: at most {MaxPathBytes} ({Untrusted.Quote(path)})");
        foreach (var name in full.Split('/', StringSplitOptions.RemoveEmptyEntries))
            if (System.Text.Encoding.UTF8.GetByteCount(name) is > MaxNameBytes and var bytes)
                throw new UsageException($"{option}: a file or folder name is {bytes} bytes long; allowed: at most {MaxNameBytes} bytes each ({Untrusted.Quote(name)})");
        if (Directory.Exists(full)) throw new UsageException($"{option} {Untrusted.Quote(path)} is a folder; allowed: a file path");
        var folder = Path.GetDirectoryName(full)!;
        if (!Directory.Exists(folder)) throw new UsageException($"{option}: folder {Untrusted.Quote(folder)} does not exist");
        GlobalOptions.CheckFolder(folder, option);
        var probe = Path.Combine(folder, $".metarl-probe-{Environment.ProcessId}-{Guid.NewGuid():N}");
        try
        {
            File.WriteAllBytes(probe, []);
            File.Delete(probe);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new UsageException($"{option}: folder {Untrusted.Quote(folder)} cannot be written ({Untrusted.Line(e.Message)})");
        }
        return full;
    }

    /// <summary>Where a path leads in the end (through symbolic links), to tell whether two paths name one file.</summary>
    public static string FinalPath(string path)
    {
        var full = Path.GetFullPath(path);
        try
        {
            return File.ResolveLinkTarget(full, returnFinalTarget: true)?.FullName ?? full;
        }
        catch (IOException)
        {
            return full;
        }
    }

    private static int Run(ParseResult parse, CancellationToken ct)
    {
        if (parse.GetValue(LogEvery) < 1) throw new UsageException($"--log-every {parse.GetValue(LogEvery)} is invalid; allowed: 1 or more");
        var spec = SpecFrom(parse);
        if (parse.GetValue(Out) is { } outFile) CheckOutputFile(outFile, "--out");
        if (parse.GetValue(SaveModel) is { } modelFile) CheckOutputFile(modelFile, "--save-model");
        if (parse.GetValue(Out) is { } o && parse.GetValue(SaveModel) is { } m && FinalPath(o) == FinalPath(m))
            throw new UsageException($"--out and --save-model name the same file {Untrusted.Quote(o)}; allowed: two different files (the result would replace the model)");
        try
        {
            return Train(parse, spec, ct);
        }
        catch (Exception e) when (e is not OperationCanceledException and not UsageException)
        {
            // A native fault (libtorch out of memory, MuJoCo) or bad numbers: the run failed, said in one line.
            return Cli.Failed("training failed, nothing was written", e);
        }
    }

    private static int Train(ParseResult parse, RunSpec spec, CancellationToken ct)
    {
        bool json = parse.GetValue(GlobalOptions.Json);
        int logEvery = parse.GetValue(LogEvery); // checked ≥ 1 in Run
        var metrics = new List<IterationMetrics>();
        var watch = Stopwatch.StartNew();
        using var run = new MetaTrainingRun(spec);
        if (!json) Console.WriteLine($"train: {spec.Family} / {spec.Learner} / {spec.Method} α={spec.Alpha.ToString(CultureInfo.InvariantCulture)} seed={spec.Seed}, {spec.Iterations} iterations × {spec.MetaBatch} tasks");
        // Every long phase shows where it is: a status line on a terminal, plain lines otherwise (on stderr beside --json).
        var progress = new ConsoleProgress(stderr: json);
        RunResult result;
        double[]? random;
        try
        {
            run.Progress = progress;
            while (!run.Done)
            {
                ct.ThrowIfCancellationRequested();
                var m = run.Step();
                metrics.Add(m);
                if (!json && (m.Iteration % logEvery == 0 || m.Validation is not null || run.Done))
                    progress.WriteLine(ProgressLine(m, watch.Elapsed));
            }
            result = run.Finish();
            // A uniform random policy on the same test tasks (RL families), as the floor to beat.
            random = null;
            if (run.Family is IRlTaskFamily rlFamily)
            {
                progress.Begin($"evaluating a random policy on {spec.Evaluation.TestTasks} test tasks");
                random = RandomPolicy.MeanReturns(rlFamily, spec.Evaluation.TestSet(run.Family), 1, spec.Evaluation.TestSeed);
                progress.Idle();
            }
        }
        finally
        {
            run.Progress = null;
            progress.Dispose();
        }
        if (parse.GetValue(SaveModel) is { } modelPath) File.WriteAllBytes(modelPath, ModelFile.Create(run));
        var summary = new
        {
            spec,
            seconds = watch.Elapsed.TotalSeconds,
            result.BestIteration,
            result.SelectedBy,
            best = new { result.Best.Mean, result.Best.Cvar, result.Best.PreMean, result.Best.PreCvar },
            final = new { result.Final.Mean, result.Final.Cvar, result.Final.PreMean, result.Final.PreCvar },
            cemPhi = run.Cem?.Phi,
            cemPhi0 = run.Cem?.Phi0,
            randomPolicy = random is null ? null : new { mean = random.Average(), cvar = Cvar.Of(random, spec.Alpha) },
        };
        if (parse.GetValue(Out) is { } outPath)
        {
            // MQL: what adapting to each test task found, for the selected model (the last one evaluated).
            var adaptations = (run.Learner as Learning.Algorithms.Mql.MqlLearner)?.LastAdaptations.Select(a => new
            {
                latent = a.Task.Latent, a.TrainingAccuracy, a.EffectiveSampleSize, a.Lambda, a.BetaMean, a.BetaMedian, a.BetaMax, a.BetaClippedFraction, a.PreReturn, a.PostReturn,
            });
            var full = new { summary, testScores = new { best = result.Best.Scores, final = result.Final.Scores, preBest = result.Best.PreScores, preFinal = result.Final.PreScores, random, latents = result.TestLatents }, adaptations,
                cemHistory = run.Cem?.History.Select(h => new { h.Index, phi = h.PhiAfter, h.QuantilePlain, h.QuantileReference, meanSample = Mean(h.Samples) }),
                validations = run.Validations, metrics };
            File.WriteAllText(outPath, JsonSerializer.Serialize(full, SpecJson.Options));
        }
        if (json)
        {
            Console.WriteLine(JsonSerializer.Serialize(summary, SpecJson.Options));
            return Cli.ExitOk;
        }
        Console.WriteLine($"selected: iteration {result.BestIteration} by {result.SelectedBy}");
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"test ({spec.Evaluation.TestTasks} tasks)  selected: mean {result.Best.Mean:F4}  CVaR_{spec.Alpha} {result.Best.Cvar:F4}   (before adaptation: mean {result.Best.PreMean:F4}  CVaR {result.Best.PreCvar:F4})"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"test ({spec.Evaluation.TestTasks} tasks)  final:    mean {result.Final.Mean:F4}  CVaR_{spec.Alpha} {result.Final.Cvar:F4}   (before adaptation: mean {result.Final.PreMean:F4}  CVaR {result.Final.PreCvar:F4})"));
        if (random is not null)
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"test ({spec.Evaluation.TestTasks} tasks)  random policy: mean {random.Average():F4}  CVaR_{spec.Alpha} {Cvar.Of(random, spec.Alpha):F4}"));
        if (run.Cem is not null) Console.WriteLine($"CEM φ: [{string.Join(", ", run.Cem.Phi.Select(p => string.Join("/", p.Select(x => x.ToString("F3", CultureInfo.InvariantCulture)))))}] (φ0: [{string.Join(", ", run.Cem.Phi0.Select(p => string.Join("/", p.Select(x => x.ToString("F3", CultureInfo.InvariantCulture)))))}])");
        Console.WriteLine($"time: {watch.Elapsed.TotalSeconds:F1} s");
        return Cli.ExitOk;
    }

    private static double[] Mean(double[][] samples) =>
        samples.Length == 0 ? [] : Enumerable.Range(0, samples[0].Length).Select(d => samples.Average(s => s[d])).ToArray();

    private static string ProgressLine(IterationMetrics m, TimeSpan elapsed)
    {
        var s = string.Create(CultureInfo.InvariantCulture,
            $"it {m.Iteration,6}  score pre {m.MeanPreScore,9:F3} post {m.MeanScore,9:F3}  batch CVaR {m.CvarScore,9:F3}  steps {m.TotalEnvironmentSteps,10}  {elapsed.TotalSeconds,7:F1}s");
        if (m.CemPhi is not null) s += "  φ " + string.Join(",", m.CemPhi.Select(p => string.Join("/", p.Select(x => x.ToString("F2", CultureInfo.InvariantCulture)))));
        if (m.Validation is { } v) s += string.Create(CultureInfo.InvariantCulture, $"  | validation mean {v.Mean:F3} CVaR {v.Cvar:F3}{(v.Best ? " *best" : "")}");
        return s;
    }
}
