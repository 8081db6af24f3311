using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using MetaRl.Grains;
using MetaRl.Grains.Interfaces;
using MetaRl.Grains.Interfaces.State;

namespace MetaRl.Client.Commands;

/// <summary>`metarl silos`: every silo's last heartbeat (capabilities, runs, liveness).</summary>
public static class SilosCommand
{
    public static Command Create()
    {
        var command = new Command("silos", "Silos and their last heartbeat");
        command.SetAction(async (parse, ct) =>
        {
            var store = await ClientStorage.OpenAsync(parse, ct);
            var beats = new List<SiloHeartbeat>();
            await foreach (var item in store.ListAsync(StoragePaths.SilosPrefix, ct))
                if ((await store.ReadAsync<SiloHeartbeat>(item.Path, ct))?.Value is { } b) beats.Add(b);
            if (parse.GetValue(GlobalOptions.Json))
            {
                Console.WriteLine(JsonSerializer.Serialize(beats, GrainJson.Options));
                return Cli.ExitOk;
            }
            foreach (var b in beats.OrderBy(b => b.SiloId))
            {
                var age = DateTimeOffset.UtcNow - b.LastBeat;
                string status = b.Stopping ? "stopped" : age < TimeSpan.FromSeconds(30) ? "alive" : $"silent for {age.TotalSeconds:F0} s";
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{b.SiloId,-36} {status,-20} {b.CoresInUse}/{b.CoreBudget} cores, {b.Gpus} GPU, {b.MemoryBytes / (1024.0 * 1024 * 1024):F1} GiB  runs: {string.Join(", ", b.Runs)}"));
            }
            if (beats.Count == 0) Console.WriteLine("no silo has reported to this store");
            return Cli.ExitOk;
        });
        return command;
    }
}
