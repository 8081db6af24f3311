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

        using var guard = SafeConsole.Install();
        var parse = root.Parse(args);
        if (parse.Errors.Count > 0)
        {
            foreach (var error in parse.Errors) Error(Friendly(error.Message));
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
            Error(e.Message);
            return ExitBadInput;
        }
        catch (Exception e) when (MetaRl.Grains.StoredData.IsUnreadable(e))
        {
            Error($"stored data cannot be read, nothing was changed: {MetaRl.Grains.StoredData.Describe(e)}", 600);
            return ExitFailure;
        }
        catch (Exception e) when (e is OrleansException or TimeoutException)
        {
            Error($"the cluster did not answer in time ({e.Message.Split('\n')[0].Trim()}); if a silo just died, try again in a few seconds");
            return ExitFailure;
        }
        catch (OperationCanceledException)
        {
            Console.Error.WriteLine("metarl: stopped");
            return 130;
        }
        catch (Exception e)
        {
            return LastResort(e);
        }
    }

    /// <summary>
    /// System.CommandLine names .NET types ("as expected type 'System.Int32'"); say what is allowed
    /// instead. A long quoted token is shortened so that the option it was given to stays in view.
    /// </summary>
    private static string Friendly(string message) =>
        System.Text.RegularExpressions.Regex.Replace(message, @" as expected type '([^']+)'\.?",
            m => $"; allowed: {MetaRl.Grains.SpecJsonErrors.Friendly(m.Groups[1].Value)}", System.Text.RegularExpressions.RegexOptions.None, TimeSpan.FromSeconds(1));

    /// <summary>
    /// Writes an error: "metarl: " and the message, made safe (<see cref="Untrusted.Clean"/>). A long
    /// quoted value is shortened so that what is wrong with it stays in view, and every further line of
    /// the message is indented: a value with a newline in it can never print a line that looks like
    /// one of ours.
    /// </summary>
    public static void Error(string message, int maxLine = 400)
    {
        var lines = Untrusted.Clean(Untrusted.ShortenQuoted(message), maxLine).Split('\n');
        Console.Error.WriteLine("metarl: " + string.Join("\n", lines.Select((l, i) => i == 0 || l.StartsWith("  ", StringComparison.Ordinal) ? l : "  " + l)));
    }

    /// <summary>
    /// No exception reaches the user as a .NET crash: one line saying what failed, exit 1, and the
    /// whole exception (with its stack) in a log file for whoever fixes it.
    /// </summary>
    public static int LastResort(Exception e) => Failed("internal error, nothing more was done", e);

    /// <summary>Reports a failure in one line (what, the exception's type and first line), keeps the whole exception in a log file, exit 1.</summary>
    public static int Failed(string what, Exception e)
    {
        string? log = null;
        try
        {
            var dir = Path.Combine(Path.GetTempPath(), "metarl-logs");
            Directory.CreateDirectory(dir);
            log = Path.Combine(dir, $"metarl-{DateTime.UtcNow:yyyyMMdd-HHmmss}-{Environment.ProcessId}.log");
            File.WriteAllText(log, $"metarl {string.Join(' ', Environment.GetCommandLineArgs().Skip(1).Select(a => Untrusted.Clean(a, 200)))}\n{e}\n");
        }
        catch (Exception logFailure) when (logFailure is IOException or UnauthorizedAccessException)
        {
            log = null;
        }
        Error($"{what} ({e.GetType().Name}: {Untrusted.Line(e.Message.Split('\n')[0], 300)}){(log is null ? "" : $"; details in {log}")}");
        return ExitFailure;
    }
}
