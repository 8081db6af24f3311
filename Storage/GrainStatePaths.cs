using System.Security.Cryptography;
using System.Text;
using Orleans.Runtime;

namespace MetaRl.Storage;

/// <summary>
/// Where <see cref="BlobGrainStorage"/> keeps a grain's state: <c>{grain type}/{grain key}/{state name}</c>,
/// each part one escaped segment. Grouping by type and key keeps all state of one grain under one
/// prefix, and a fixed depth of three means no state blob can be a folder of another (which the
/// local file system could not hold).
/// <para>
/// Escaping works on the UTF-8 bytes (grain types and keys are byte strings in Orleans): the bytes
/// a-z, 0-9, '_', '-' and (not first) '.' stay; every other byte, '~' included, becomes '~' and two
/// lowercase hex digits ("Run/1" → "~52un~2f1", ".x" → "~2ex"). So a segment is never empty, never
/// "." or "..", never hidden, holds no '/' and no upper case (two keys differing only in case stay
/// apart on a case-insensitive file system too), and distinct inputs give distinct segments. An
/// empty part is "~" (no escape is that short). A segment that would be longer than
/// <see cref="MaxSegmentLength"/> is cut to its first 64 characters followed by "~~" and 32 hex
/// digits of the SHA-256 of the bytes: short segments never contain "~~", so the two forms cannot
/// meet, and the file system's name limit holds whatever the key.
/// </para>
/// </summary>
public static class GrainStatePaths
{
    /// <summary>The longest segment kept whole; below the local provider's per-name limit with room for its sidecar suffixes.</summary>
    public const int MaxSegmentLength = 120;

    private const int LongFormPrefixLength = 64;

    /// <summary>The blob path of <paramref name="stateName"/> of <paramref name="grainId"/>.</summary>
    public static string Of(string stateName, GrainId grainId)
    {
        ArgumentNullException.ThrowIfNull(stateName);
        return $"{Segment(grainId.Type.AsSpan())}/{Segment(grainId.Key.AsSpan())}/{Segment(Encoding.UTF8.GetBytes(stateName))}";
    }

    /// <summary>One path segment for <paramref name="bytes"/> (see the class summary for the rules).</summary>
    public static string Segment(ReadOnlySpan<byte> bytes)
    {
        if (bytes.IsEmpty) return "~";
        var escaped = new StringBuilder(bytes.Length);
        for (int i = 0; i < bytes.Length; i++)
        {
            byte b = bytes[i];
            if (IsKept(b, first: i == 0))
                escaped.Append((char)b);
            else
                escaped.Append('~').Append(Convert.ToHexStringLower([b]));
        }
        if (escaped.Length <= MaxSegmentLength) return escaped.ToString();

        // Cut on an escape's boundary: an escape is '~' and two hex digits, and only escapes have '~'.
        int cut = LongFormPrefixLength;
        while (escaped[cut - 1] == '~' || escaped[cut - 2] == '~') cut--;
        var hash = Convert.ToHexStringLower(SHA256.HashData(bytes)[..16]);
        return $"{escaped.ToString(0, cut)}~~{hash}";
    }

    private static bool IsKept(byte b, bool first) =>
        b is (>= (byte)'a' and <= (byte)'z') or (>= (byte)'0' and <= (byte)'9') or (byte)'_' or (byte)'-'
        || (b == (byte)'.' && !first);
}
