using System.Text.Json;
using System.Text.Json.Serialization;

namespace MetaRl.Storage;

/// <summary>
/// What the local provider keeps next to a blob's content (in the sidecar tree): the ETag, the
/// content's length and modification time as they were when this record was written (to detect a
/// crash between the content rename and the metadata rename), and the blob kind.
/// Times are UTC ticks so that every process reads them the same way. Records written when the
/// store still kept leases carry extra lease fields; deserialization ignores unknown members, so
/// they read as plain records.
/// </summary>
internal sealed record FileBlobMetadata(
    string ETag,
    long Length,
    long ContentWriteTicks,
    long LastModifiedTicks,
    string Kind)
{
    public const string BlockKind = "block";
    public const string AppendKind = "append";

    private static readonly JsonSerializerOptions s_json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public DateTimeOffset LastModified => new(LastModifiedTicks, TimeSpan.Zero);

    public byte[] Serialize() => JsonSerializer.SerializeToUtf8Bytes(this, s_json);

    /// <summary>The record, or null when the bytes are not one (a torn or foreign file counts as missing metadata).</summary>
    public static FileBlobMetadata? TryDeserialize(byte[] bytes)
    {
        try
        {
            var meta = JsonSerializer.Deserialize<FileBlobMetadata>(bytes, s_json);
            return meta is { ETag.Length: > 0, Kind: BlockKind or AppendKind } ? meta : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>
    /// The record of content that its stored record (<paramref name="stale"/>, null when there is
    /// none) does not describe: its ETag is derived from the stale ETag and the content's length and
    /// modification time, so every process derives the same one, it differs from the stale one, and it
    /// changes whenever the content does. Its time is the content's.
    /// </summary>
    public static FileBlobMetadata Derived(FileBlobMetadata? stale, long length, long contentWriteTicks)
    {
        var seed = System.Text.Encoding.UTF8.GetBytes($"{stale?.ETag}|{length}|{contentWriteTicks}");
        var etag = $"\"0x{Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(seed), 0, 8)}\"";
        return new FileBlobMetadata(etag, length, contentWriteTicks, contentWriteTicks, stale?.Kind ?? BlockKind);
    }

    /// <summary>A fresh opaque ETag in Azure's style (quoted, "0x" and 16 hex digits).</summary>
    public static string NewETag() => $"\"0x{Convert.ToHexString(Guid.NewGuid().ToByteArray(), 0, 8)}\"";
}
