using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using MetaRl.Learning.Evaluation;

namespace MetaRl.Client.Commands;

/// <summary>
/// `metarl summarize FILES…`: the results of `metarl train --out` grouped by family, learner,
/// method and α, with mean and CVaR_α of the test scores (selected checkpoint and final model),
/// each as a mean over seeds with a 95% confidence interval.
/// </summary>
public static class SummarizeCommand
{
    private static readonly Argument<string[]> Files = new("files") { Description = "Result files written by 'metarl train --out'", Arity = ArgumentArity.OneOrMore };

    public static Command Create()
    {
        var command = new Command("summarize", "Mean and CVaR over seeds, with 95% confidence intervals, of 'metarl train --out' results");
        command.Arguments.Add(Files);
        command.SetAction(parse => Run(parse.GetValue(Files)!, parse.GetValue(GlobalOptions.Json)));
        return command;
    }

    private sealed record Row(string Family, string Learner, string Method, double Alpha, ulong Seed, double Mean, double Cvar, double PreMean, double PreCvar,
        double FinalMean, double FinalCvar, double[]? Phi, double[]? Phi0, double Seconds);

    private static int Run(string[] files, bool json)
    {
        var rows = new List<Row>();
        var bad = new List<string>();
        foreach (var f in files)
        {
            string text;
            try
            {
                text = UserFiles.ReadText(f, "result file", 64 << 20);
            }
            catch (UsageException e)
            {
                bad.Add(e.Message);
                continue;
            }
            try
            {
                using var doc = JsonDocument.Parse(text);
                // A missing field is named (a sweep run's result.json, say, is another format); so is a number that is not finite (1e400).
                static JsonElement Field(JsonElement parent, string name, string path) =>
                    parent.ValueKind == JsonValueKind.Object && parent.TryGetProperty(name, out var v) ? v : throw new InvalidDataException($"it has no '{path}'");
                static double Number(JsonElement parent, string name, string path)
                {
                    var v = Field(parent, name, path);
                    if (v.ValueKind != JsonValueKind.Number) throw new InvalidDataException($"{path} is not a number");
                    double x = v.GetDouble();
                    return double.IsFinite(x) ? x : throw new InvalidDataException($"{path} is {Untrusted.Line(v.GetRawText(), 40)}, which is not a finite number; allowed: finite numbers");
                }
                static string Name(JsonElement parent, string name, string path) =>
                    Field(parent, name, path) is { ValueKind: JsonValueKind.String } v ? v.GetString()! : throw new InvalidDataException($"{path} is not a string");
                static double[]? Phi(JsonElement s, string name) =>
                    s.TryGetProperty(name, out var p) && p.ValueKind == JsonValueKind.Array
                        ? p.EnumerateArray().Select((x, i) => Number0(x, $"summary.{name}[{i}][0]")).ToArray()
                        : null;
                static double Number0(JsonElement row, string path) => row.ValueKind == JsonValueKind.Array && row.GetArrayLength() > 0 && row[0] is { ValueKind: JsonValueKind.Number } v && double.IsFinite(v.GetDouble())
                    ? v.GetDouble() : throw new InvalidDataException($"{path} is not a finite number");
                var s = Field(doc.RootElement, "summary", "summary");
                var spec = Field(s, "spec", "summary.spec");
                var best = Field(s, "best", "summary.best");
                var final = Field(s, "final", "summary.final");
                rows.Add(new Row(Name(spec, "family", "summary.spec.family"), Name(spec, "learner", "summary.spec.learner"), Name(spec, "method", "summary.spec.method"),
                    Number(spec, "alpha", "summary.spec.alpha"), Field(spec, "seed", "summary.spec.seed").GetUInt64(),
                    Number(best, "mean", "summary.best.mean"), Number(best, "cvar", "summary.best.cvar"), Number(best, "preMean", "summary.best.preMean"), Number(best, "preCvar", "summary.best.preCvar"),
                    Number(final, "mean", "summary.final.mean"), Number(final, "cvar", "summary.final.cvar"),
                    Phi(s, "cemPhi"), Phi(s, "cemPhi0"), Number(s, "seconds", "summary.seconds")));
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                // Everything in the file is untrusted: any failure to read it names the file, and the others are still shown.
                bad.Add($"{Untrusted.Quote(f)} is not a readable 'metarl train --out' result ({(e is InvalidDataException or JsonException ? "" : e.GetType().Name + ": ")}{Untrusted.Line(e.Message.Split('\n')[0])})");
            }
        }
        foreach (var b in bad) Console.Error.WriteLine($"metarl: {Untrusted.Line(b, 600)}");
        if (rows.Count == 0) throw new UsageException($"no readable result among the {files.Length} file(s)");
        var groups = rows.GroupBy(r => (r.Family, r.Learner, r.Method, r.Alpha)).OrderBy(g => g.Key.Family).ThenBy(g => g.Key.Learner).ThenBy(g => g.Key.Method).ThenBy(g => g.Key.Alpha).ToList();
        var summary = groups.Select(g => new
        {
            g.Key.Family, g.Key.Learner, g.Key.Method, g.Key.Alpha,
            seeds = g.Count(),
            mean = SeedStatistics.Of(g.Select(r => r.Mean).ToList()),
            cvar = SeedStatistics.Of(g.Select(r => r.Cvar).ToList()),
            preMean = SeedStatistics.Of(g.Select(r => r.PreMean).ToList()),
            finalMean = SeedStatistics.Of(g.Select(r => r.FinalMean).ToList()),
            finalCvar = SeedStatistics.Of(g.Select(r => r.FinalCvar).ToList()),
            cemPhi = g.All(r => r.Phi is not null) ? Enumerable.Range(0, g.First().Phi!.Length).Select(d => g.Average(r => r.Phi![d])).ToArray() : null,
            cemPhi0 = g.First().Phi0,
            secondsPerRun = g.Average(r => r.Seconds),
        }).ToList();
        if (json)
        {
            Console.WriteLine(JsonSerializer.Serialize(summary, SpecJson.Options));
            return bad.Count == 0 ? Cli.ExitOk : Cli.ExitBadInput;
        }
        static string F(MeanInterval m) => string.Create(CultureInfo.InvariantCulture, $"{m.Mean,9:F3} ± {m.HalfWidth,-7:F3}");
        Console.WriteLine($"{"family",-18} {"learner",-11} {"method",-9} {"α",5} {"seeds",5}  {"mean (selected)",-19} {"CVaR_α (selected)",-19} {"mean before adapt.",-19} {"mean (final)",-19} {"CVaR_α (final)",-19} {"s/run",6}");
        foreach (var s in summary)
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{Untrusted.Line(s.Family, 40),-18} {Untrusted.Line(s.Learner, 40),-11} {Untrusted.Line(s.Method, 40),-9} {s.Alpha,5:G3} {s.seeds,5}  {F(s.mean)} {F(s.cvar)} {F(s.preMean)} {F(s.finalMean)} {F(s.finalCvar)} {s.secondsPerRun,6:F0}"));
        foreach (var s in summary.Where(s => s.cemPhi is not null))
            Console.WriteLine($"CEM φ at the end, mean over seeds ({Untrusted.Line(s.Family, 40)} {Untrusted.Line(s.Learner, 40)} {Untrusted.Line(s.Method, 40)} α={s.Alpha.ToString(CultureInfo.InvariantCulture)}): [{string.Join(", ", s.cemPhi!.Select(x => x.ToString("F3", CultureInfo.InvariantCulture)))}] " +
                (s.cemPhi0 is { } phi0 ? $"(φ0: [{string.Join(", ", phi0.Select(x => x.ToString("F3", CultureInfo.InvariantCulture)))}])" : "(φ0 not recorded in these result files)"));
        Console.WriteLine("(± is the 95% confidence interval over seeds; scores are returns, or −loss for regression)");
        return bad.Count == 0 ? Cli.ExitOk : Cli.ExitBadInput;
    }
}
