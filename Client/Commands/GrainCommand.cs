using System.CommandLine;
using System.Text.Json;
using MetaRl.Grains;
using MetaRl.Grains.Interfaces;

namespace MetaRl.Client.Commands;

/// <summary>
/// `metarl grain show KIND/ID`: any grain's state — sweep/ID, run/ID, task/RUN.TASK,
/// cem/RUN (add --history for every CEM update), propensity/RUN.TASK.
/// </summary>
public static class GrainCommand
{
    private static readonly Argument<string> Key = new("key") { Description = "kind/id: sweep/…, run/…, task/RUN.TASK, cem/RUN, propensity/RUN.TASK" };
    private static readonly Option<bool> History = new("--history") { Description = "cem/…: print every CEM update record too" };

    public static Command Create()
    {
        var grain = new Command("grain", "Inspect any grain's state");
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
            var grains = new GrainFactory(await ClientStorage.OpenAsync(parse, ct));
            (string Run, string Task) Split(string id)
            {
                int dot = id.LastIndexOf('.');
                return dot > 0 ? (id[..dot], id[(dot + 1)..]) : throw new UsageException($"{key.Kind} keys are {key.Kind}/RUN.TASK");
            }
            object? state = key.Kind switch
            {
                "sweep" => await grains.Sweep(key.Id).GetAsync(ct),
                "run" => await grains.Run(key.Id).GetAsync(ct),
                "task" => await grains.Task(Split(key.Id).Run, Split(key.Id).Task).GetAsync(ct),
                "cem" => await grains.Cem(key.Id).GetAsync(ct),
                "propensity" => await grains.Propensity(Split(key.Id).Run, Split(key.Id).Task).GetAsync(ct),
                _ => throw new UsageException($"grain kind '{key.Kind}' is not known; allowed: sweep, run, task, cem, propensity"),
            };
            if (state is null) throw new UsageException($"grain {key} does not exist");
            Console.WriteLine(JsonSerializer.Serialize(state, new JsonSerializerOptions(GrainJson.Options) { WriteIndented = !parse.GetValue(GlobalOptions.Json) }));
            if (key.Kind == "cem" && parse.GetValue(History))
                foreach (var line in await grains.Cem(key.Id).HistoryAsync(ct)) Console.WriteLine(line);
            return Cli.ExitOk;
        });
        grain.Subcommands.Add(show);
        return grain;
    }
}
