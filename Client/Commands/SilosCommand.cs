using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using MetaRl.Client.Cluster;
using MetaRl.Grains;
using MetaRl.Grains.Interfaces;
using MetaRl.Grains.Interfaces.State;

namespace MetaRl.Client.Commands;

/// <summary>`metarl silos`: the cluster's active silos (Orleans membership), each describing its capabilities and the runs it trains.</summary>
public static class SilosCommand
{
    public static Command Create()
    {
        var command = new Command("silos", "The cluster's silos: capabilities, core budget, runs training and waiting");
        command.SetAction(async (parse, ct) =>
        {
            await using var cluster = await ClusterConnection.OpenAsync(parse, ConnectMode.Query, ct);
            var hosts = await Transient.RetryAsync(() => cluster.Grains.GetGrain<IManagementGrain>(0).GetHosts(onlyActive: true), ct);
            var views = new List<SiloView>();
            foreach (var silo in hosts.Keys)
                views.Add(await Transient.RetryAsync(() => cluster.Grains.GetGrain<ISiloGrain>(silo.ToParsableString()).GetAsync(ct), ct));
            if (parse.GetValue(GlobalOptions.Json))
            {
                Console.WriteLine(JsonSerializer.Serialize(views.OrderBy(v => v.Name), GrainJson.Options));
                return Cli.ExitOk;
            }
            Console.WriteLine($"{views.Count} silo(s) in {cluster.Description}");
            foreach (var v in views.OrderBy(v => v.Name))
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{Untrusted.Line(v.Name, 60),-28} {Untrusted.Line(v.Address, 60),-28} {(v.Trains ? $"{v.CoresInUse}/{v.CoreBudget} cores" : "does not train"),-16} {v.Gpus} GPU  {v.MemoryBytes / (1024.0 * 1024 * 1024):F1} GiB  training: {(v.Training.Count == 0 ? "-" : Untrusted.Line(string.Join(", ", v.Training), 4000))}{(v.Waiting.Count == 0 ? "" : "  waiting: " + Untrusted.Line(string.Join(", ", v.Waiting), 4000))}"));
            return Cli.ExitOk;
        });
        return command;
    }
}
