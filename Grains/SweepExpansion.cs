using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using MetaRl.Grains.Interfaces;
using MetaRl.Grains.Interfaces.Specs;
using MetaRl.Grains.Interfaces.State;
using MetaRl.Learning.Training;

namespace MetaRl.Grains;

/// <summary>
/// Turns a sweep spec into its runs: methods × α × seeds (the baseline once per seed, as it does
/// not depend on α), each with a deterministic id, so re-submitting a sweep names the same runs.
/// Validates everything first and reports every problem at once.
/// </summary>
public static class SweepExpansion
{
    public sealed record ExpandedRun(SweepRun Run, RunSpec Spec);

    public static IReadOnlyList<ExpandedRun> Expand(SweepSpec sweep)
    {
        var problems = Validate(sweep);
        var runs = new List<ExpandedRun>();
        var template = Template(sweep, problems);
        if (problems.Count > 0)
        {
            // Report the runs' problems too (family, learner, run settings), from a representative run.
            var sample = template with
            {
                Family = sweep.Family, Learner = sweep.Learner, Seed = sweep.FirstSeed, Iterations = Math.Max(1, sweep.Budget.Iterations),
                Method = sweep.Methods.FirstOrDefault(m => RobustMethods.All.Contains(m)) ?? RobustMethods.Baseline,
                Alpha = sweep.Alpha.FirstOrDefault(a => a > 0 && a <= 1, 0.05),
            };
            problems.AddRange(sample.Validate().Select(e => $"run: {e}"));
            throw new SpecException(problems.Distinct().ToList());
        }
        var runErrors = new List<(string Run, string Error)>();
        foreach (var method in sweep.Methods)
        {
            var alphas = method == RobustMethods.Baseline ? [sweep.Alpha.Min()] : sweep.Alpha;
            foreach (var alpha in alphas)
            {
                for (int s = 0; s < sweep.Seeds; s++)
                {
                    ulong seed = sweep.FirstSeed + (ulong)s;
                    var spec = template with
                    {
                        Family = sweep.Family,
                        Learner = sweep.Learner,
                        Method = method,
                        Alpha = alpha,
                        Seed = seed,
                        Iterations = sweep.Budget.Iterations,
                        Cem = template.Cem with { Alpha = alpha },
                    };
                    var id = RunId(sweep.Name, method, alpha, seed);
                    foreach (var error in spec.Validate()) runErrors.Add((id, error));
                    runs.Add(new ExpandedRun(new SweepRun(id, method, alpha, seed), spec));
                }
            }
        }
        // One line per problem, naming the runs it concerns (the same problem usually concerns every run).
        foreach (var group in runErrors.GroupBy(e => e.Error))
        {
            var ids = group.Select(e => e.Run).Distinct().ToList();
            problems.Add(ids.Count == runs.Count && runs.Count > 1 ? $"run: {group.Key} (every run)"
                : $"run {ids[0]}{(ids.Count > 1 ? $" and {ids.Count - 1} more" : "")}: {group.Key}");
        }
        foreach (var clash in runs.GroupBy(r => r.Run.RunId).Where(g => g.Count() > 1))
            problems.Add($"sweep.alpha: {string.Join(" and ", clash.Select(r => r.Run.Alpha.ToString("R", CultureInfo.InvariantCulture)).Distinct())} give the same run ids; allowed: α values that differ within 5 decimals");
        if (problems.Count > 0) throw new SpecException(problems.Distinct().ToList());
        return runs;
    }

    /// <summary>"{sweep}-{method}-a{α}-s{seed}"; the baseline has no α ("{sweep}-baseline-s{seed}").</summary>
    public static string RunId(string sweep, string method, double alpha, ulong seed) =>
        method == RobustMethods.Baseline
            ? $"{sweep}-{method}-s{seed}"
            : $"{sweep}-{method}-a{alpha.ToString("0.#####", CultureInfo.InvariantCulture)}-s{seed}";

    /// <summary>sha256 of the spec as stored: equal specs, equal hashes.</summary>
    public static string Hash(SweepSpec sweep) => Convert.ToHexString(SHA256.HashData(GrainJson.Serialize(sweep))).ToLowerInvariant();

    private static RunSpec Template(SweepSpec sweep, List<string> problems)
    {
        var spec = new RunSpec();
        if (sweep.Run is { } run)
        {
            if (run.ValueKind != JsonValueKind.Object) problems.Add("sweep.run must be a JSON object of run-spec fields");
            else
            {
                // What the sweep sets for every run is not a run setting: refused here rather than silently replaced.
                foreach (var (field, belongs) in SetBySweep)
                {
                    var parts = field.Split('.');
                    if (parts.Length == 2 ? run.TryGetProperty(parts[0], out var section) && section.ValueKind == JsonValueKind.Object && section.TryGetProperty(parts[1], out _)
                                          : run.TryGetProperty(field, out _))
                        problems.Add($"sweep.run.{field} is set by the sweep for each run; allowed: {belongs}, not inside sweep.run");
                }
                try
                {
                    spec = run.Deserialize<RunSpec>(GrainJson.UserInput) ?? spec;
                }
                catch (JsonException e)
                {
                    problems.Add(SpecJsonErrors.Describe(e, "sweep.run", typeof(RunSpec)));
                }
            }
        }
        if (sweep.Evaluation is { } ev)
            spec = spec with
            {
                Evaluation = spec.Evaluation with
                {
                    TestTasks = ev.TestTasks ?? spec.Evaluation.TestTasks,
                    ValidationTasks = ev.ValidationTasks ?? spec.Evaluation.ValidationTasks,
                    ValidateEvery = ev.ValidateEvery ?? spec.Evaluation.ValidateEvery,
                    TestLatentRange = ev.TestLatentRange ?? spec.Evaluation.TestLatentRange,
                },
            };
        return spec;
    }

    /// <summary>Run-spec fields the sweep itself sets for each run, and where a sweep spec sets them (docs/SWEEPS.md, "run").</summary>
    public static readonly IReadOnlyList<(string Field, string Belongs)> SetBySweep =
    [
        ("family", "sweep.family"), ("learner", "sweep.learner"), ("method", "sweep.methods"), ("alpha", "sweep.alpha"),
        ("seed", "sweep.firstSeed and sweep.seeds"), ("iterations", "budget.iterations"),
    ];

    /// <summary>The most runs one sweep may expand to (methods × α × seeds, the baseline once per seed).</summary>
    public const int MaxRuns = 10_000;

    /// <summary>The largest seed: seeds are written in JSON, where integers are exact up to 2^53.</summary>
    public const ulong MaxSeed = (1UL << 53) - 1;

    public static List<string> Validate(SweepSpec sweep)
    {
        var p = SettingsCheck.Check(sweep, "sweep");
        if (p.Count > 0) return p; // the checks below rely on lists without null entries
        if (sweep.Family.Length > 100 || sweep.Learner.Length > 100 || sweep.Methods.Any(m => m.Length > 100))
        {
            p.Add("sweep.family, sweep.learner and sweep.methods are names; allowed: at most 100 characters each");
            return p;
        }
        if (sweep.Methods.Length > 10) p.Add($"sweep.methods has {sweep.Methods.Length} entries; allowed: at most 10 ({string.Join(", ", RobustMethods.All)})");
        if (sweep.Alpha.Length > 100) p.Add($"sweep.alpha has {sweep.Alpha.Length} levels; allowed: at most 100");
        if (sweep.FirstSeed > MaxSeed || (ulong)Math.Max(sweep.Seeds, 0) > MaxSeed - sweep.FirstSeed)
            p.Add($"sweep.firstSeed {sweep.FirstSeed} is invalid with {sweep.Seeds} seeds; allowed: seeds from 0 up to {MaxSeed} (2^53 − 1)");
        if (sweep.Budget.Iterations > 10_000_000) p.Add($"sweep.budget.iterations {sweep.Budget.Iterations} is invalid; allowed: 1 to 10000000");
        if (sweep.Resources.Cores > 1024) p.Add($"sweep.resources.cores {sweep.Resources.Cores} is invalid; allowed: 1 to 1024");
        long runs = (long)Math.Max(sweep.Seeds, 0) * (sweep.Methods.Count(m => m != RobustMethods.Baseline) * (long)sweep.Alpha.Length + (sweep.Methods.Contains(RobustMethods.Baseline) ? 1 : 0));
        if (runs > MaxRuns) p.Add($"the sweep expands to {runs} runs; allowed: at most {MaxRuns} (methods × α × seeds)");
        if (!GrainKey.IsValidSegment(sweep.Name) || sweep.Name.Length > 60)
            p.Add($"sweep.name '{sweep.Name}' is invalid; allowed: 1–60 lowercase letters, digits, '.', '_' and '-'");
        if (string.IsNullOrEmpty(sweep.Family)) p.Add("sweep.family is missing; allowed: a task family (see docs/TASK_FAMILIES.md)");
        if (string.IsNullOrEmpty(sweep.Learner)) p.Add($"sweep.learner is missing; allowed: {Learners.Listed}");
        if (sweep.Methods.Length == 0) p.Add($"sweep.methods is empty; allowed: any of {string.Join(", ", RobustMethods.All)}");
        for (int i = 0; i < sweep.Methods.Length; i++)
            if (!RobustMethods.All.Contains(sweep.Methods[i])) p.Add($"sweep.methods[{i}] '{sweep.Methods[i]}' is not known; allowed: {string.Join(", ", RobustMethods.All)}");
        if (sweep.Methods.Distinct().Count() != sweep.Methods.Length) p.Add("sweep.methods has duplicates");
        if (sweep.Alpha.Length == 0) p.Add("sweep.alpha is empty; allowed: one or more levels in (0, 1]");
        for (int i = 0; i < sweep.Alpha.Length; i++)
            if (!(sweep.Alpha[i] >= 1e-5 && sweep.Alpha[i] <= 1)) p.Add($"sweep.alpha[{i}] {sweep.Alpha[i]} is invalid; allowed: 0.00001 to 1 (run ids write α with 5 decimals)");
        if (sweep.Alpha.Distinct().Count() != sweep.Alpha.Length) p.Add("sweep.alpha has duplicates");
        if (sweep.Seeds < 1 || sweep.Seeds > 1000) p.Add($"sweep.seeds {sweep.Seeds} is invalid; allowed: 1–1000");
        if (sweep.Budget.Iterations < 1) p.Add($"sweep.budget.iterations {sweep.Budget.Iterations} is invalid; allowed: an integer ≥ 1");
        if (sweep.Resources.Cores < 1) p.Add($"sweep.resources.cores {sweep.Resources.Cores} is invalid; allowed: an integer ≥ 1");
        return p;
    }

    /// <summary>The run spec with the hardware of the silo that executes it (thread counts never change results).</summary>
    public static RunSpec ForCores(RunSpec spec, int cores) =>
        spec with { Rl = spec.Rl with { Threads = cores }, Mql = spec.Mql with { Threads = cores }, Rl2 = spec.Rl2 with { Threads = cores } };
}
