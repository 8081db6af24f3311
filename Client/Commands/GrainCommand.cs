using System.CommandLine;
using System.Text.Json;
using MetaRl.Client.Cluster;
using MetaRl.Grains;
using MetaRl.Grains.Interfaces;

namespace MetaRl.Client.Commands;

/// <summary>
/// `metarl grain show KIND/ID`: any grain's live state, asked of the grain itself — sweep/ID,
/// run/ID, task/RUN.TASK, cem/RUN (add --history for every CEM update), propensity/RUN.TASK, silo/NAME
/// (a silo's name or Orleans address, as `metarl silos` lists them).
/// </summary>
public static class GrainCommand
{
    private static readonly Argument<string> Key = new("key") { Description = "kind/id: sweep/…, run/…, task/RUN.TASK, cem/RUN, propensity/RUN.TASK, silo/NAME" };
    private static readonly Option<bool> History = new("--history") { Description = "cem/…: every CEM update record too (with --json: one document {\"view\": …, \"history\": [records]})" };

    public static readonly IReadOnlyList<string> Kinds = ["sweep", "run", "task", "cem", "propensity", "silo"];

    public static Command Create()
    {
        var grain = new Command("grain", "Ask any grain for its state");
        var show = new Command("show", "Print a grain's state as JSON");
        show.Arguments.Add(Key);
        show.Options.Add(History);
        show.SetAction(async (parse, ct) =>
        {
            GrainKey key;
            var text = parse.GetValue(Key)!;
            try
            {
                // A silo's Orleans address ("127.0.0.1:11111@123") is not a blob path segment; names and addresses are matched as given.
                key = text.StartsWith("silo/", StringComparison.Ordinal) && text.Length is > 5 and <= 200 && text.All(c => c > ' ' && c < 127)
                    ? new GrainKey("silo", text[5..])
                    : GrainKey.Parse(text);
            }
            catch (FormatException)
            {
                // The reason first, the value (cut, escaped) after it.
                throw new UsageException(text.IndexOf('/') is > 0 and var slash && slash < text.Length - 1
                    ? $"grain key: kind and id allow lowercase letters, digits, '.', '_' and '-'; got {Untrusted.Quote(text)}"
                    : $"grain key must be written kind/id ({string.Join(", ", Kinds.Select(k => k + "/…"))}); got {Untrusted.Quote(text)}");
            }
            if (!Kinds.Contains(key.Kind)) throw new UsageException($"grain kind '{key.Kind}' is not known; allowed: {string.Join(", ", Kinds)}");
            if (key.Kind is "task" or "propensity" && key.Id.LastIndexOf('.') <= 0) throw new UsageException($"{key.Kind} keys are {key.Kind}/RUN.TASK");
            if (parse.GetValue(History) && key.Kind != "cem") throw new UsageException($"--history applies to cem/RUN keys only, not to {key.Kind}/…");
            await using var cluster = await ClusterConnection.OpenAsync(parse, ConnectMode.Query, ct);
            var grains = cluster.Grains;
            object? state = key.Kind switch
            {
                "sweep" => await Transient.RetryAsync(() => grains.GetGrain<ISweepGrain>(key.Id).GetAsync(ct), ct),
                "run" => await Transient.RetryAsync(() => grains.GetGrain<IMetaPolicyGrain>(key.Id).GetAsync(ct), ct),
                "task" => await Transient.RetryAsync(() => grains.GetGrain<ITaskGrain>(key.Id).GetAsync(ct), ct),
                "cem" => await Transient.RetryAsync(() => grains.GetGrain<ICemSamplerGrain>(key.Id).GetAsync(ct), ct),
                "propensity" => await Transient.RetryAsync(() => grains.GetGrain<IPropensityGrain>(key.Id).GetAsync(ct), ct),
                _ => await SiloAsync(grains, key.Id, ct),
            };
            if (state is null) throw new UsageException(key.Kind == "silo"
                ? $"no active silo is named or addressed {Untrusted.Quote(key.Id)} ({cluster.Description}); metarl silos lists them"
                : $"grain {key} does not exist ({cluster.Description})");
            bool json = parse.GetValue(GlobalOptions.Json);
            if (!(key.Kind == "cem" && parse.GetValue(History)))
            {
                Console.WriteLine(JsonSerializer.Serialize(state, new JsonSerializerOptions(GrainJson.Options) { WriteIndented = !json }));
                return Cli.ExitOk;
            }
            var history = await Transient.RetryAsync(() => grains.GetGrain<ICemSamplerGrain>(key.Id).HistoryAsync(ct), ct);
            int code;
            if (json)
            {
                // One document: the grain's view and every update record (docs/FORMATS.md, "CEM history").
                var records = new System.Text.Json.Nodes.JsonArray();
                code = StoredLinePrinter.Each(history.Lines, 0, "CEM history", key.Id, record => records.Add(record));
                var document = new System.Text.Json.Nodes.JsonObject
                {
                    ["view"] = JsonSerializer.SerializeToNode(state, GrainJson.Options),
                    ["history"] = records,
                };
                Console.WriteLine(document.ToJsonString());
            }
            else
            {
                Console.WriteLine(JsonSerializer.Serialize(state, new JsonSerializerOptions(GrainJson.Options) { WriteIndented = true }));
                code = StoredLinePrinter.Print(history.Lines, 0, "CEM history", key.Id, line => StoredLinePrinter.AsJson(line));
            }
            if (history.Problem is { } problem)
            {
                Console.Error.WriteLine($"metarl: {key}: {Untrusted.Line(problem)}");
                return Cli.ExitFailure;
            }
            return code;
        });
        grain.Subcommands.Add(show);
        return grain;
    }

    /// <summary>The silo grain of the active silo with this name or address; null when none is active.</summary>
    private static async Task<object?> SiloAsync(IGrainFactory grains, string nameOrAddress, CancellationToken ct)
    {
        // Membership names each silo: only the one asked for is called (another that has just died does not get in the way).
        var answers = await SiloAnswers.AskAsync(grains, ct, (name, address) => name == nameOrAddress || address == nameOrAddress);
        if (answers.FirstOrDefault(a => a.View is not null) is { } answer) return answer.View;
        if (answers.FirstOrDefault() is { } unreachable) throw new TimeoutException($"silo '{unreachable.Name}' ({unreachable.Address}) {unreachable.Problem}");
        return null;
    }
}
