using System.Text.Json;

namespace MetaRl.Storage;

/// <summary>JSON documents in blobs: the form every grain state and manifest is stored in.</summary>
public static class BlobStoreExtensions
{
    /// <summary>camelCase, compact: the one JSON dialect of stored state.</summary>
    public static JsonSerializerOptions JsonOptions { get; } = CreateJsonOptions();

    /// <summary>The document and the ETag it was read at (for a later conditional write), or null when the blob does not exist.</summary>
    /// <exception cref="InvalidDataException">The blob is not a JSON document of type <typeparamref name="T"/>.</exception>
    public static async Task<(T Value, string ETag)?> ReadJsonAsync<T>(this IBlobStore store, string path, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        var blob = await store.ReadAsync(path, cancellationToken).ConfigureAwait(false);
        if (blob is null) return null;
        T? value;
        try
        {
            value = JsonSerializer.Deserialize<T>(blob.Content, JsonOptions);
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"blob '{path}' is not a valid JSON {typeof(T).Name}: {e.Message}", e);
        }
        if (value is null) throw new InvalidDataException($"blob '{path}' holds JSON null, not a {typeof(T).Name}");
        return (value, blob.ETag);
    }

    /// <summary>Writes <paramref name="value"/> as JSON under <paramref name="condition"/>; returns the new ETag.</summary>
    public static Task<string> WriteJsonAsync<T>(this IBlobStore store, string path, T value, WriteCondition condition, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        var bytes = JsonSerializer.SerializeToUtf8Bytes(value, JsonOptions);
        return store.WriteAsync(path, bytes, condition, cancellationToken);
    }

    private static JsonSerializerOptions CreateJsonOptions()
    {
        var options = new JsonSerializerOptions { PropertyNamingPolicy = JsonNamingPolicy.CamelCase, WriteIndented = false };
        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }
}
