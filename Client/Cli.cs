using System.CommandLine;
using MetaRl.Client.Commands;

namespace MetaRl.Client;

/// <summary>The `metarl` command tree. Bad arguments exit with code 2 and name what is wrong.</summary>
public static class Cli
{
    public const int ExitOk = 0;
    public const int ExitFailure = 1;
    public const int ExitBadInput = 2;

    public static async Task<int> RunAsync(string[] args)
    {
        var root = new RootCommand("metarl — robust meta-RL experiments on Orleans grains");
        GlobalOptions.AddTo(root);
        root.Subcommands.Add(DoctorCommand.Create());
        root.Subcommands.Add(TrainCommand.Create());
        root.Subcommands.Add(SummarizeCommand.Create());
        root.Subcommands.Add(EvaluateCommand.Create());
        root.Subcommands.Add(ExportCommand.Create());
        root.Subcommands.Add(SweepCommands.Create());
        root.Subcommands.Add(RunCommands.Create());
        root.Subcommands.Add(SilosCommand.Create());
        root.Subcommands.Add(GrainCommand.Create());

        var parse = root.Parse(args);
        if (parse.Errors.Count > 0)
        {
            foreach (var error in parse.Errors) Console.Error.WriteLine($"metarl: {error.Message}");
            Console.Error.WriteLine("metarl: see 'metarl --help'");
            return ExitBadInput;
        }
        try
        {
            // Ctrl-C / SIGTERM cancel the command's token; an embedded silo then checkpoints its runs before the process ends.
            return await parse.InvokeAsync(new InvocationConfiguration { EnableDefaultExceptionHandler = false, ProcessTerminationTimeout = TimeSpan.FromMinutes(15) });
        }
        catch (UsageException e)
        {
            Console.Error.WriteLine($"metarl: {e.Message}");
            return ExitBadInput;
        }
        catch (Exception e) when (e is OrleansException or TimeoutException)
        {
            Console.Error.WriteLine($"metarl: the cluster did not answer in time ({e.Message.Split('\n')[0].Trim()}); if a silo just died, try again in a few seconds");
            return ExitFailure;
        }
    }
}
