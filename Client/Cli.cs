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
            foreach (var error in parse.Errors) Console.Error.WriteLine($"metarl: {Untrusted.Clean(Friendly(error.Message))}");
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
            Console.Error.WriteLine($"metarl: {Untrusted.Clean(e.Message)}");
            return ExitBadInput;
        }
        catch (Exception e) when (MetaRl.Grains.StoredData.IsUnreadable(e))
        {
            Console.Error.WriteLine($"metarl: stored data cannot be read, nothing was changed: {Untrusted.Clean(MetaRl.Grains.StoredData.Describe(e), 600)}");
            return ExitFailure;
        }
        catch (Exception e) when (e is OrleansException or TimeoutException)
        {
            Console.Error.WriteLine($"metarl: the cluster did not answer in time ({Untrusted.Clean(e.Message.Split('\n')[0].Trim())}); if a silo just died, try again in a few seconds");
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
    private static string Friendly(string message)
    {
        var timeout = TimeSpan.FromSeconds(1);
        message = System.Text.RegularExpressions.Regex.Replace(message, "'([^']{60,})'", m => $"'{m.Groups[1].Value[..40]}… ({m.Groups[1].Value.Length} characters)'", System.Text.RegularExpressions.RegexOptions.Singleline, timeout);
        return System.Text.RegularExpressions.Regex.Replace(message, @" as expected type '([^']+)'\.?",
            m => $"; allowed: {MetaRl.Grains.SpecJsonErrors.Friendly(m.Groups[1].Value)}", System.Text.RegularExpressions.RegexOptions.None, timeout);
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
        Console.Error.WriteLine($"metarl: {what} ({e.GetType().Name}: {Untrusted.Clean(e.Message.Split('\n')[0], 300)}){(log is null ? "" : $"; details in {log}")}");
        return ExitFailure;
    }
}
