using System.Text.Json;
using System.Text.Json.Serialization;

namespace MetaRl.Grains;

/// <summary>How grain state and specs are written to storage: camelCase JSON, enums as names.</summary>
public static class GrainJson
{
    public static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    /// <summary>
    /// Specs from users: the same, plus comments and trailing commas; refused: unknown fields, null
    /// where the field is not optional, duplicate keys, numbers written as strings (so no "NaN" or
    /// "Infinity"), nesting deeper than 32.
    /// </summary>
    public static readonly JsonSerializerOptions UserInput = new(Options)
    {
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        RespectNullableAnnotations = true,
        AllowDuplicateProperties = false,
        NumberHandling = JsonNumberHandling.Strict,
        MaxDepth = 32,
    };

    public static byte[] Serialize<T>(T value) => JsonSerializer.SerializeToUtf8Bytes(value, Options);

    public static T Deserialize<T>(ReadOnlySpan<byte> json) =>
        JsonSerializer.Deserialize<T>(json, Options) ?? throw new InvalidDataException($"empty {typeof(T).Name}");
}
