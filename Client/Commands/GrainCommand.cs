using System.CommandLine;
using System.Text.Json;
using MetaRl.Client.Cluster;
using MetaRl.Grains;
using MetaRl.Grains.Interfaces;

namespace MetaRl.Client.Commands;

/// <summary>
/// `metarl grain show KIND/ID`: any grain's live state, asked of the grain itself — sweep/ID,
/// run/ID, task/RUN.TASK, cem/RUN (add --history for every CEM update), propensity/RUN.TASK, silo/ADDRESS.
/// </summary>
public static class GrainCommand
{
    private static readonly Argument<string> Key = new("key") { Description = "kind/id: sweep/…, run/…, task/RUN.TASK, cem/RUN, propensity/RUN.TASK" };
    private static readonly Option<bool> History = new("--history") { Description = "cem/…: print every CEM update record too" };

    public static readonly IReadOnlyList<string> Kinds = ["sweep", "run", "task", "cem", "propensity"];

    public static Command Create()
    {
        var grain = new Command("grain", "Ask any grain for its state");
        var show = new Command("show", "Print a grain's state as JSON");
        show.Arguments.Add(Key);
        show.Options.Add(History);
        show.SetAction(async (parse, ct) =>
        {
            GrainKey key;
            try
            {
                key = GrainKey.Parse(parse.GetValue(Key)!);
            }
            catch (FormatException e)
            {
                throw new UsageException(e.Message);
            }
            if (!Kinds.Contains(key.Kind)) throw new UsageException($"grain kind '{key.Kind}' is not known; allowed: {string.Join(", ", Kinds)}");
            if (key.Kind is "task" or "propensity" && key.Id.LastIndexOf('.') <= 0) throw new UsageException($"{key.Kind} keys are {key.Kind}/RUN.TASK");
            await using var cluster = await ClusterConnection.OpenAsync(parse, ConnectMode.Query, ct);
            var grains = cluster.Grains;
            object? state = key.Kind switch
            {
                "sweep" => await Transient.RetryAsync(() => grains.GetGrain<ISweepGrain>(key.Id).GetAsync(ct), ct),
                "run" => await Transient.RetryAsync(() => grains.GetGrain<IMetaPolicyGrain>(key.Id).GetAsync(ct), ct),
                "task" => await Transient.RetryAsync(() => grains.GetGrain<ITaskGrain>(key.Id).GetAsync(ct), ct),
                "cem" => await Transient.RetryAsync(() => grains.GetGrain<ICemSamplerGrain>(key.Id).GetAsync(ct), ct),
                _ => await Transient.RetryAsync(() => grains.GetGrain<IPropensityGrain>(key.Id).GetAsync(ct), ct),
            };
            if (state is null) throw new UsageException($"grain {key} does not exist ({cluster.Description})");
            Console.WriteLine(JsonSerializer.Serialize(state, new JsonSerializerOptions(GrainJson.Options) { WriteIndented = !parse.GetValue(GlobalOptions.Json) }));
            if (key.Kind == "cem" && parse.GetValue(History))
                foreach (var line in await Transient.RetryAsync(() => grains.GetGrain<ICemSamplerGrain>(key.Id).HistoryAsync(ct), ct)) Console.WriteLine(line);
            return Cli.ExitOk;
        });
        grain.Subcommands.Add(show);
        return grain;
    }
}
