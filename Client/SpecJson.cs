using System.Text.Json;
using System.Text.Json.Serialization;

namespace MetaRl.Client;

/// <summary>JSON settings for what the console writes (results, --json output): camelCase, indented.</summary>
public static class SpecJson
{
    public static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        WriteIndented = true,
    };
}
