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
                // A missing field is named (a sweep run's result.json, say, is another format).
                static JsonElement Field(JsonElement parent, string name, string path) =>
                    parent.ValueKind == JsonValueKind.Object && parent.TryGetProperty(name, out var v) ? v : throw new InvalidDataException($"it has no '{path}'");
                var s = Field(doc.RootElement, "summary", "summary");
                var spec = Field(s, "spec", "summary.spec");
                var best = Field(s, "best", "summary.best");
                var final = Field(s, "final", "summary.final");
                double[]? phi = s.TryGetProperty("cemPhi", out var p) && p.ValueKind == JsonValueKind.Array ? p.EnumerateArray().Select(x => x[0].GetDouble()).ToArray() : null;
                double[]? phi0 = s.TryGetProperty("cemPhi0", out var p0) && p0.ValueKind == JsonValueKind.Array ? p0.EnumerateArray().Select(x => x[0].GetDouble()).ToArray() : null;
                rows.Add(new Row(spec.GetProperty("family").GetString()!, spec.GetProperty("learner").GetString()!, spec.GetProperty("method").GetString()!,
                    spec.GetProperty("alpha").GetDouble(), spec.GetProperty("seed").GetUInt64(), best.GetProperty("mean").GetDouble(), best.GetProperty("cvar").GetDouble(),
                    best.GetProperty("preMean").GetDouble(), best.GetProperty("preCvar").GetDouble(), final.GetProperty("mean").GetDouble(), final.GetProperty("cvar").GetDouble(),
                    phi, phi0, s.GetProperty("seconds").GetDouble()));
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                // Everything in the file is untrusted: any failure to read it names the file, and the others are still shown.
                bad.Add($"'{f}' is not a readable 'metarl train --out' result ({(e is InvalidDataException or JsonException ? "" : e.GetType().Name + ": ")}{e.Message.Split('\n')[0]})");
            }
        }
        foreach (var b in bad) Console.Error.WriteLine($"metarl: {Untrusted.Clean(b)}");
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
                $"{s.Family,-18} {s.Learner,-11} {s.Method,-9} {s.Alpha,5:G3} {s.seeds,5}  {F(s.mean)} {F(s.cvar)} {F(s.preMean)} {F(s.finalMean)} {F(s.finalCvar)} {s.secondsPerRun,6:F0}"));
        foreach (var s in summary.Where(s => s.cemPhi is not null))
            Console.WriteLine($"CEM φ at the end, mean over seeds ({s.Family} {s.Learner} {s.Method} α={s.Alpha}): [{string.Join(", ", s.cemPhi!.Select(x => x.ToString("F3", CultureInfo.InvariantCulture)))}] " +
                (s.cemPhi0 is { } phi0 ? $"(φ0: [{string.Join(", ", phi0.Select(x => x.ToString("F3", CultureInfo.InvariantCulture)))}])" : "(φ0 not recorded in these result files)"));
        Console.WriteLine("(± is the 95% confidence interval over seeds; scores are returns, or −loss for regression)");
        return bad.Count == 0 ? Cli.ExitOk : Cli.ExitBadInput;
    }
}
