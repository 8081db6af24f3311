using System.CommandLine;
using System.Text.Json;
using MetaRl.Grains;
using MetaRl.Grains.Interfaces;
using MetaRl.Grains.Interfaces.State;

namespace MetaRl.Client.Commands;

/// <summary>`metarl run …`: a run's state, its metrics, and run/pause/cancel requests.</summary>
public static class RunCommands
{
    private static readonly Argument<string> RunId = new("run") { Description = "Run id" };
    private static readonly Option<bool> Follow = new("--follow", "-f") { Description = "Keep printing new lines as checkpoints commit them" };
    private static readonly Option<int> Last = new("--last") { Description = "Only the last N lines", DefaultValueFactory = _ => 0 };

    public static Command Create()
    {
        var run = new Command("run", "One training run (a meta-policy grain)");

        var show = new Command("show", "The run's state (iteration, status, owner, checkpoints)");
        show.Arguments.Add(RunId);
        show.SetAction(async (parse, ct) =>
        {
            var (grain, _) = await GrainAsync(parse, ct);
            var state = await grain.GetAsync(ct) ?? throw new UsageException($"run '{grain.Key.Id}' does not exist");
            Console.WriteLine(JsonSerializer.Serialize(state with { SpecJson = parse.GetValue(GlobalOptions.Json) ? state.SpecJson : "(see --json)" }, new JsonSerializerOptions(GrainJson.Options) { WriteIndented = true }));
            return Cli.ExitOk;
        });

        var tail = new Command("tail", "The run's metric lines (one per committed iteration)");
        tail.Arguments.Add(RunId);
        tail.Options.Add(Follow);
        tail.Options.Add(Last);
        tail.SetAction(async (parse, ct) =>
        {
            var (grain, _) = await GrainAsync(parse, ct);
            if (await grain.GetAsync(ct) is null) throw new UsageException($"run '{grain.Key.Id}' does not exist");
            int shown = 0;
            var lines = await grain.MetricsAsync(0, ct);
            int last = parse.GetValue(Last);
            foreach (var line in last > 0 ? lines.TakeLast(last) : lines) Console.WriteLine(line);
            shown = lines.Count;
            while (parse.GetValue(Follow) && !ct.IsCancellationRequested)
            {
                var state = await grain.GetAsync(ct);
                if (state is null || state.Status is RunStatus.Completed or RunStatus.Cancelled or RunStatus.Failed) break;
                await Task.Delay(TimeSpan.FromSeconds(2), ct);
                var more = await grain.MetricsAsync(shown, ct);
                foreach (var line in more) Console.WriteLine(line);
                shown += more.Count;
            }
            return Cli.ExitOk;
        });

        foreach (var (name, desire, text) in new[] { ("cancel", RunDesire.Cancel, "Stop the run for good (after its current iteration)"), ("pause", RunDesire.Pause, "Stop the run after a checkpoint; 'resume' continues it"), ("resume", RunDesire.Run, "Let a paused run continue") })
        {
            var c = new Command(name, text);
            c.Arguments.Add(RunId);
            c.SetAction(async (parse, ct) =>
            {
                var (grain, _) = await GrainAsync(parse, ct);
                try
                {
                    await grain.RequestAsync(desire, ct);
                }
                catch (KeyNotFoundException e)
                {
                    throw new UsageException(e.Message);
                }
                Console.WriteLine($"run {grain.Key.Id}: {name} requested");
                return Cli.ExitOk;
            });
            run.Subcommands.Add(c);
        }
        run.Subcommands.Add(show);
        run.Subcommands.Add(tail);
        return run;
    }

    private static async Task<(Grains.Interfaces.Contracts.IMetaPolicyGrain Grain, GrainFactory Factory)> GrainAsync(ParseResult parse, CancellationToken ct)
    {
        var id = parse.GetValue(RunId)!;
        if (!GrainKey.IsValidSegment(id)) throw new UsageException($"run id '{id}' is invalid; allowed: lowercase letters, digits, '.', '_' and '-'");
        var factory = new GrainFactory(await ClientStorage.OpenAsync(parse, ct));
        return (factory.Run(id), factory);
    }
}
