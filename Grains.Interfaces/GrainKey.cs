namespace MetaRl.Grains.Interfaces;

/// <summary>
/// The identity of a virtual grain: a kind ("sweep", "run", "task", ...) and an id, written
/// "kind/id". Ids are lowercase letters, digits, '.', '_' and '-', so that a key is also a valid
/// blob path segment on every provider.
/// </summary>
public readonly record struct GrainKey(string Kind, string Id)
{
    public override string ToString() => $"{Kind}/{Id}";

    public static bool IsValidSegment(string s) =>
        s.Length is > 0 and <= 200
        && s.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c is '.' or '_' or '-')
        && s != "." && s != "..";

    /// <summary>Parses "kind/id"; throws <see cref="FormatException"/> naming what is wrong.</summary>
    public static GrainKey Parse(string text)
    {
        var slash = text.IndexOf('/');
        if (slash <= 0 || slash == text.Length - 1)
            throw new FormatException($"grain key '{text}' must be written kind/id");
        var key = new GrainKey(text[..slash], text[(slash + 1)..]);
        if (!IsValidSegment(key.Kind) || !IsValidSegment(key.Id))
            throw new FormatException($"grain key '{text}': kind and id allow lowercase letters, digits, '.', '_' and '-'");
        return key;
    }
}
