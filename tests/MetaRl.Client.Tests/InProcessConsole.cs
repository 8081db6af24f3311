namespace MetaRl.Client.Tests;

/// <summary>`metarl ARGS` run inside the test process, its stdout and stderr captured.</summary>
internal static class InProcessConsole
{
    public static async Task<(int Code, string Out, string Err)> RunAsync(params string[] args)
    {
        var (oldOut, oldErr) = (Console.Out, Console.Error);
        var (o, e) = (new StringWriter(), new StringWriter());
        Console.SetOut(o);
        Console.SetError(e);
        try
        {
            int code = await Cli.RunAsync(args).WaitAsync(TimeSpan.FromMinutes(5));
            return (code, o.ToString(), e.ToString());
        }
        finally
        {
            Console.SetOut(oldOut);
            Console.SetError(oldErr);
        }
    }

    public static string TempDir() => Directory.CreateTempSubdirectory("metarl-console-").FullName;

    public static string Write(string dir, string name, string text)
    {
        var path = Path.Combine(dir, name);
        File.WriteAllText(path, text);
        return path;
    }

    /// <summary>A small sine sweep (baseline and RoML, one seed, 3 iterations) that trains in seconds.</summary>
    public const string SmallSweep = """
        { "name": "NAME", "family": "Sine", "learner": "maml", "methods": ["baseline", "roml"], "alpha": [0.2], "seeds": 1,
          "budget": { "iterations": 3 }, "evaluation": { "testTasks": 10, "validationTasks": 4, "validateEvery": 0 },
          "run": { "metaBatch": 5, "supervised": { "hidden": [8], "innerSteps": 1 }, "cem": { "batchSize": 10 } } }
        """;
}
