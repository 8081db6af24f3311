using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using MetaRl.Client.Cluster;
using MetaRl.Grains;
using MetaRl.Grains.Interfaces;
using MetaRl.Grains.Interfaces.State;

namespace MetaRl.Client.Commands;

/// <summary>
/// `metarl silos`: the cluster's active silos (Orleans membership), each describing its capabilities and
/// the runs it trains; one that does not answer (it has just died, or is joining) is listed as unreachable.
/// </summary>
public static class SilosCommand
{
    public static Command Create()
    {
        var command = new Command("silos", "The cluster's silos: capabilities, core budget, runs training and waiting");
        command.SetAction(async (parse, ct) =>
        {
            await using var cluster = await ClusterConnection.OpenAsync(parse, ConnectMode.Query, ct);
            var answers = await SiloAnswers.AskAsync(cluster.Grains, ct);
            // A silo that has just died (or is joining) is listed as unreachable: the others still answer.
            foreach (var a in answers.Where(a => a.View is null))
                Console.Error.WriteLine($"metarl: silo {Untrusted.Line(a.Name, 60)} ({a.Address}) is unreachable: {Untrusted.Line(a.Problem)}");
            if (parse.GetValue(GlobalOptions.Json))
            {
                Console.WriteLine(JsonSerializer.Serialize(answers.Where(a => a.View is not null).Select(a => a.View), GrainJson.Options));
                return Cli.ExitOk;
            }
            Console.WriteLine($"{answers.Count} silo(s) in {cluster.Description}");
            foreach (var a in answers)
            {
                if (a.View is not { } v)
                {
                    Console.WriteLine(Untrusted.Line($"{a.Name,-28} {a.Address,-28} unreachable (it may have just died or be joining)"));
                    continue;
                }
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{Untrusted.Line(v.Name, 60),-28} {Untrusted.Line(v.Address, 60),-28} {(v.Trains ? $"{v.CoresInUse}/{v.CoreBudget} cores" : "does not train"),-16} {v.Gpus} GPU  {v.MemoryBytes / (1024.0 * 1024 * 1024):F1} GiB  training: {(v.Training.Count == 0 ? "-" : Untrusted.Line(string.Join(", ", v.Training), 4000))}{(v.Waiting.Count == 0 ? "" : "  waiting: " + Untrusted.Line(string.Join(", ", v.Waiting), 4000))}"));
            }
            return Cli.ExitOk;
        });
        return command;
    }
}
