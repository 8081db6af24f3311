using System.Globalization;

namespace MetaRl.Bench;

/// <summary>"--name value" options of a bench, with defaults; an unknown option is an error (exit 2).</summary>
public sealed class BenchArgs
{
    private readonly Dictionary<string, string> _values = new();

    public BenchArgs(string[] args, params string[] allowed)
    {
        for (int i = 0; i < args.Length; i++)
        {
            var name = args[i].TrimStart('-');
            if (!args[i].StartsWith("--", StringComparison.Ordinal) || !allowed.Contains(name) || i + 1 >= args.Length)
                throw new ArgumentException($"unknown or incomplete option '{args[i]}'; allowed: {string.Join(", ", allowed.Select(a => "--" + a + " <value>"))}");
            _values[name] = args[++i];
        }
    }

    public int Int(string name, int fallback) => _values.TryGetValue(name, out var v) ? int.Parse(v, CultureInfo.InvariantCulture) : fallback;
    public double Double(string name, double fallback) => _values.TryGetValue(name, out var v) ? double.Parse(v, CultureInfo.InvariantCulture) : fallback;
    public string? String(string name) => _values.GetValueOrDefault(name);
}
