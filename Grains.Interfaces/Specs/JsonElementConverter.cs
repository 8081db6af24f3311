using System.Text.Json;

namespace MetaRl.Grains.Interfaces.Specs;

/// <summary>How a <see cref="JsonElement"/> (a sweep's free-form run settings) crosses the wire: as its JSON text.</summary>
[GenerateSerializer, Alias("metarl.JsonElementSurrogate")]
public struct JsonElementSurrogate
{
    [Id(0)]
    public string Json;
}

[RegisterConverter]
public sealed class JsonElementConverter : IConverter<JsonElement, JsonElementSurrogate>
{
    public JsonElement ConvertFromSurrogate(in JsonElementSurrogate surrogate)
    {
        using var document = JsonDocument.Parse(surrogate.Json);
        return document.RootElement.Clone();
    }

    public JsonElementSurrogate ConvertToSurrogate(in JsonElement value) => new() { Json = value.GetRawText() };
}
