namespace MetaRl.Grains.Interfaces.State;

/// <summary>
/// Lines of one of a run's append blobs (metric lines, CEM records), each checked against what the
/// run committed before it is handed out, and what was wrong with the rest.
/// </summary>
[GenerateSerializer(GenerateFieldIds = GenerateFieldIds.PublicProperties), Immutable, Alias("metarl.StoredLines")]
public sealed record StoredLines
{
    /// <summary>The checked lines asked for: those before any damage.</summary>
    public List<string> Lines { get; init; } = [];

    /// <summary>Null when every committed line is there and intact; otherwise what is wrong, naming the blob.</summary>
    public string? Problem { get; init; }
}

/// <summary>
/// What a run committed of an append blob, to check it by: a SHA-256 chain over its lines
/// (h₀ = 32 zero bytes, hᵢ = SHA-256(hᵢ₋₁ ‖ line i ‖ '\n')), and the chain after 1, 2, 4, 8, … lines,
/// so that a reader finds how far the blob is intact without keeping a hash per line.
/// </summary>
[GenerateSerializer(GenerateFieldIds = GenerateFieldIds.PublicProperties), Immutable, Alias("metarl.LineDigest")]
public sealed record LineDigest
{
    /// <summary>Committed lines.</summary>
    public int Lines { get; init; }

    /// <summary>h after <see cref="Lines"/> lines (64 lowercase hex digits; empty for none).</summary>
    public string Chain { get; init; } = "";

    /// <summary>Marks[k]: the first 16 bytes of h after 2^k lines (32 lowercase hex digits).</summary>
    public List<string> Marks { get; init; } = [];
}
