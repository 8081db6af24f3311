namespace MetaRl.Storage;

/// <summary>
/// The blob-name rules both providers apply, so that a path that works on one works on the other
/// and state can move between them: '/'-separated, non-empty segments, no "." or "..", no
/// backslashes, no leading '/', at most 1024 characters (Azure's limit), and nothing under the
/// local provider's reserved sidecar folder.
/// </summary>
public static class BlobPaths
{
    /// <summary>First segment reserved for the local provider's metadata; no blob may live under it.</summary>
    public const string ReservedPrefix = ".metarl-meta";

    public const int MaxLength = 1024;

    /// <summary>Why <paramref name="path"/> is not a valid blob path, or null when it is.</summary>
    public static string? Problem(string? path)
    {
        if (string.IsNullOrEmpty(path)) return "it is empty";
        if (path.Length > MaxLength) return $"it is longer than {MaxLength} characters";
        if (path[0] == '/') return "it starts with '/'";
        if (path.Contains('\\', StringComparison.Ordinal)) return "it contains a backslash (use '/')";
        if (path.Contains('\0', StringComparison.Ordinal)) return "it contains a NUL character";
        var segments = path.Split('/');
        foreach (var segment in segments)
        {
            if (segment.Length == 0) return "it has an empty segment ('//' or a trailing '/')";
            if (segment is "." or "..") return "it has a '.' or '..' segment";
        }
        if (segments[0] == ReservedPrefix) return $"names under '{ReservedPrefix}/' are reserved";
        return null;
    }

    /// <summary>Throws <see cref="ArgumentException"/> naming the path and the rule it breaks.</summary>
    public static void Validate(string? path, string paramName)
    {
        var problem = Problem(path);
        if (problem is not null)
            throw new ArgumentException($"blob path '{path}' is not valid: {problem}", paramName);
    }

    /// <summary>
    /// A listing prefix may end anywhere inside a name ("runs/r" matches "runs/r1/x"), so only the
    /// rules that no name could satisfy apply: no leading '/', no backslash.
    /// </summary>
    public static void ValidatePrefix(string? prefix, string paramName)
    {
        ArgumentNullException.ThrowIfNull(prefix, paramName);
        if (prefix.StartsWith('/') || prefix.Contains('\\', StringComparison.Ordinal) || prefix.Contains('\0', StringComparison.Ordinal))
            throw new ArgumentException($"blob prefix '{prefix}' is not valid: it starts with '/' or contains a backslash or NUL", paramName);
    }

    /// <summary>Conditions that can never hold are a caller bug, not a storage outcome.</summary>
    public static void ValidateCondition(WriteCondition condition, string paramName)
    {
        if (condition.IfNotExists && condition.IfMatch is not null)
            throw new ArgumentException("a condition cannot require both a matching ETag and that the blob does not exist", paramName);
        if (condition.IfMatch is { Length: 0 })
            throw new ArgumentException("IfMatch must be an ETag or \"*\", not empty", paramName);
    }
}
