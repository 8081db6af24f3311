using System.Collections;
using System.Reflection;
using System.Text.Json;

namespace MetaRl.Learning.Training;

/// <summary>
/// What JSON can smuggle past typed deserialization into a settings object: NaN or ±∞ numbers, and
/// null elements inside lists. Walks its public properties (records of this project, arrays, nested
/// arrays) and names each by its JSON path ("trpo.maxKl", "evaluation.testLatentRange[0]").
/// </summary>
public static class SettingsCheck
{
    public static List<string> Check(object settings, string prefix = "")
    {
        var problems = new List<string>();
        Walk(settings, prefix, problems, depth: 0);
        return problems;
    }

    private static void Walk(object? value, string path, List<string> problems, int depth)
    {
        if (value is null || depth > 16) return;
        switch (value)
        {
            case double d:
                if (!double.IsFinite(d)) problems.Add($"{path} {d} is invalid; allowed: a finite number");
                return;
            case float f:
                if (!float.IsFinite(f)) problems.Add($"{path} {f} is invalid; allowed: a finite number");
                return;
            case string or JsonElement:
                return;
            case IEnumerable list when value.GetType().IsArray:
                int i = 0;
                foreach (var item in list)
                {
                    if (item is null) problems.Add($"{path}[{i}] is null; allowed: a value");
                    else Walk(item, $"{path}[{i}]", problems, depth + 1);
                    i++;
                }
                return;
        }
        var type = value.GetType();
        if (type.IsPrimitive || type.IsEnum || type.Namespace?.StartsWith("MetaRl", StringComparison.Ordinal) != true) return;
        foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            if (property.GetIndexParameters().Length > 0 || !property.CanRead) continue;
            string name = JsonNamingPolicy.CamelCase.ConvertName(property.Name);
            Walk(property.GetValue(value), path.Length == 0 ? name : $"{path}.{name}", problems, depth + 1);
        }
    }
}
