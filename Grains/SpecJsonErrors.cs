using System.Reflection;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace MetaRl.Grains;

/// <summary>
/// A System.Text.Json error on a user's spec, told in the spec's own terms: the field's path as the
/// spec writes it, what kind of value is allowed there (never a .NET type name), and for an unknown
/// field the closest known name.
/// </summary>
public static partial class SpecJsonErrors
{
    /// <param name="prefix">How the document is named in messages: "sweep" (a sweep spec) or "sweep.run".</param>
    /// <param name="root">The type the document deserializes into (to name the fields an unknown one was meant to be).</param>
    public static string Describe(JsonException e, string prefix, Type root)
    {
        string path = Field(prefix, e.Path);
        string message = e.Message;
        if (ConvertedTo().Match(message) is { Success: true } converted)
        {
            // A positional record names itself, not the field: find the field's own type from the path's last name.
            var type = FindType(converted.Groups[1].Value);
            string last = e.Path?.Split('.').Last().Split('[')[0] ?? "";
            var property = type?.GetProperties(BindingFlags.Public | BindingFlags.Instance).FirstOrDefault(p => string.Equals(p.Name, last, StringComparison.OrdinalIgnoreCase));
            return $"{path} has a value of the wrong kind; allowed: {(property is not null && !e.Path!.EndsWith(']') ? Friendly(property.PropertyType) : Friendly(converted.Groups[1].Value))}";
        }
        if (Unmapped().Match(message) is { Success: true } unmapped)
        {
            string name = unmapped.Groups[1].Value;
            var known = KnownFields(FindType(unmapped.Groups[2].Value) ?? root);
            string parent = path.EndsWith("." + name, StringComparison.Ordinal) ? path[..^(name.Length + 1)] : path;
            string suggestion = Closest(name, known) is { } close ? $" (did you mean '{close}'?)" : "";
            return $"{parent}: '{name}' is not a known field{suggestion}; allowed: {string.Join(", ", known)}";
        }
        if (message.Contains("doesn't allow setting null values", StringComparison.Ordinal))
            return $"{path} is null; allowed: a value (leave the field out to use its default)";
        if (Duplicate().Match(message) is { Success: true } duplicate)
            return $"{path}: the field '{duplicate.Groups[1].Value}' appears more than once; allowed: each field once";
        if (message.Contains("maximum configured depth", StringComparison.Ordinal))
            return $"{prefix}: nested too deeply (at {path}); allowed: at most 32 levels";
        return $"{prefix}: not valid JSON{(path == prefix ? "" : $" at {path}")}{Position(e)}; allowed: a JSON object (comments and trailing commas are fine)";
    }

    private static string Position(JsonException e) =>
        e.LineNumber is { } line ? $" (line {line + 1}, position {e.BytePositionInLine + 1})" : "";

    /// <summary>"$.run.trpo.maxKl" → "sweep.run.trpo.maxKl"; "$" → "sweep".</summary>
    private static string Field(string prefix, string? jsonPath)
    {
        if (string.IsNullOrEmpty(jsonPath) || jsonPath == "$") return prefix;
        var rest = jsonPath.StartsWith("$.", StringComparison.Ordinal) ? jsonPath[2..] : jsonPath.TrimStart('$');
        return rest.StartsWith('[') ? prefix + rest : $"{prefix}.{rest}";
    }

    /// <summary>What a .NET type means to a spec's author.</summary>
    public static string Friendly(Type type) =>
        Nullable.GetUnderlyingType(type) is { } inner ? $"{Friendly(inner)}, or null"
        : type.IsArray ? $"a list of {Plural(Friendly(type.GetElementType()!))}"
        : Friendly(type.FullName ?? type.Name);

    /// <summary>What a .NET type name means to a spec's author.</summary>
    public static string Friendly(string typeName)
    {
        var name = typeName.Trim();
        if (name.EndsWith("[]", StringComparison.Ordinal)) return $"a list of {Plural(Friendly(name[..^2]))}";
        var nullable = NullableOf().Match(name);
        if (nullable.Success) return $"{Friendly(nullable.Groups[1].Value)}, or null";
        return name switch
        {
            "System.Int32" => "an integer from −2147483648 to 2147483647",
            "System.Int64" => "an integer",
            "System.UInt64" => "a whole number from 0 to 18446744073709551615",
            "System.Double" or "System.Single" => "a number (NaN and Infinity are not numbers here)",
            "System.String" => "a string",
            "System.Boolean" => "true or false",
            "System.Text.Json.JsonElement" => "a JSON object",
            _ => FindType(name) is { IsEnum: true } e ? $"one of {string.Join(", ", Enum.GetNames(e).Select(JsonNamingPolicy.CamelCase.ConvertName))}" : "an object with the documented fields (docs/SWEEPS.md)",
        };
    }

    private static string Plural(string s) => s switch
    {
        _ when s.StartsWith("an integer", StringComparison.Ordinal) => "integers" + s["an integer".Length..],
        _ when s.StartsWith("a number", StringComparison.Ordinal) => "numbers" + s["a number".Length..],
        _ when s.StartsWith("a string", StringComparison.Ordinal) => "strings",
        _ when s.StartsWith("a list of ", StringComparison.Ordinal) => "lists of " + s["a list of ".Length..],
        _ => s,
    };

    private static Type? FindType(string fullName) =>
        AppDomain.CurrentDomain.GetAssemblies().Select(a => a.GetType(fullName, throwOnError: false)).FirstOrDefault(t => t is not null);

    /// <summary>The JSON names (camelCase) of a type's writable public properties.</summary>
    public static List<string> KnownFields(Type type) =>
        type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.CanWrite)
            .Select(p => JsonNamingPolicy.CamelCase.ConvertName(p.Name)).Order(StringComparer.Ordinal).ToList();

    /// <summary>The known name nearest to <paramref name="name"/> (case-insensitive edit distance ≤ 3), or null.</summary>
    public static string? Closest(string name, IReadOnlyList<string> known)
    {
        if (name.Length > 100) return null;
        string? best = null;
        int bestDistance = int.MaxValue;
        foreach (var k in known)
        {
            int d = Distance(name.ToLowerInvariant(), k.ToLowerInvariant());
            if (d < bestDistance) (best, bestDistance) = (k, d);
        }
        return bestDistance <= Math.Clamp(name.Length / 3, 2, 3) ? best : null;
    }

    private static int Distance(string a, string b)
    {
        var row = Enumerable.Range(0, b.Length + 1).ToArray();
        for (int i = 1; i <= a.Length; i++)
        {
            int previous = row[0];
            row[0] = i;
            for (int j = 1; j <= b.Length; j++)
            {
                int current = row[j];
                row[j] = Math.Min(Math.Min(row[j] + 1, row[j - 1] + 1), previous + (a[i - 1] == b[j - 1] ? 0 : 1));
                previous = current;
            }
        }
        return row[b.Length];
    }

    [GeneratedRegex(@"could not be converted to ([^.\s][^\s]*?)\. Path", RegexOptions.CultureInvariant)]
    private static partial Regex ConvertedTo();

    [GeneratedRegex(@"The JSON property '(.*)' could not be mapped to any \.NET member contained in type '([^']+)'", RegexOptions.CultureInvariant | RegexOptions.Singleline)]
    private static partial Regex Unmapped();

    [GeneratedRegex(@"Duplicate property '(.*)' encountered", RegexOptions.CultureInvariant | RegexOptions.Singleline)]
    private static partial Regex Duplicate();

    [GeneratedRegex(@"^System\.Nullable`1\[\[?([^,\]]+)", RegexOptions.CultureInvariant)]
    private static partial Regex NullableOf();
}
