using System.Text.RegularExpressions;
using Microsoft.Extensions.Configuration;

namespace MetaRl.Grains.Hosting;

/// <summary>
/// A silo's configuration sections checked before anything starts (metarl-silo, and the console's
/// embedded silo): a value of the wrong kind or out of range is a problem naming the setting and what
/// it takes, instead of a binder exception from inside the host.
/// </summary>
public static partial class SiloConfiguration
{
    /// <summary>The "Silo" (training) section's problems; empty when it is fine.</summary>
    public static List<string> TrainingProblems(IConfiguration configuration)
    {
        var problems = new List<string>();
        var training = Bind<TrainingOptions>(configuration, TrainingOptions.Section, problems);
        if (problems.Count == 0 && new TrainingOptionsValidator().Validate(null, training) is { Failed: true } invalid) problems.AddRange(invalid.Failures);
        return problems;
    }

    /// <summary>A section bound to its options; each value that does not convert is added to <paramref name="problems"/>.</summary>
    public static T Bind<T>(IConfiguration configuration, string section, List<string> problems) where T : new()
    {
        // One setting at a time (the binder stops at the first bad one), so that every bad one is named.
        int before = problems.Count;
        foreach (var setting in configuration.GetSection(section).GetChildren())
        {
            var alone = new ConfigurationBuilder().AddInMemoryCollection([new($"{section}:{setting.Key}", setting.Value)]).Build();
            try
            {
                alone.GetSection(section).Bind(new T());
            }
            catch (InvalidOperationException e)
            {
                var m = BinderMessage().Match(e.Message);
                problems.Add(m.Success
                    ? $"{m.Groups[2].Value} '{m.Groups[1].Value}' is invalid; allowed: {(m.Groups[3].Value == "System.TimeSpan" ? "a duration such as 00:00:30" : SpecJsonErrors.Friendly(m.Groups[3].Value))}"
                    : $"{section}:{setting.Key}: {e.Message}");
            }
        }
        var options = new T();
        if (problems.Count == before) configuration.GetSection(section).Bind(options);
        return options;
    }

    [GeneratedRegex("value '(.*)' at '(.*)' to type '(.*)'")]
    private static partial Regex BinderMessage();
}
