using System.Text.Json;
using System.Text.Json.Serialization;

namespace MetaRl.Client;

/// <summary>JSON settings for specs: camelCase, comments and trailing commas allowed, unknown fields refused.</summary>
public static class SpecJson
{
    public static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        WriteIndented = true,
    };

    /// <summary>Parses <paramref name="json"/>; malformed JSON or an unknown field becomes a <see cref="UsageException"/> naming where.</summary>
    public static T Parse<T>(string json, string what)
    {
        try
        {
            return JsonSerializer.Deserialize<T>(json, Options) ?? throw new UsageException($"{what} is empty");
        }
        catch (JsonException e)
        {
            throw new UsageException($"{what}: {e.Message}");
        }
    }
}
