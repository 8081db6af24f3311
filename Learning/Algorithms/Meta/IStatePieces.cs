using MetaRl.Learning.Common;
using MetaRl.Learning.Environments;

namespace MetaRl.Learning.Algorithms.Meta;

/// <summary>
/// One immutable piece of a learner's state: segment <paramref name="Number"/> of training task
/// <paramref name="Task"/>'s stream, holding <paramref name="Items"/> items, whose bytes hash to
/// <paramref name="Sha256"/> (lowercase hex; null in states written before pieces were hashed). A
/// restore checks each piece it is given against it, so a state never resumes on bytes other than its own.
/// </summary>
public sealed record StatePiece(int Task, long Number, long Items, string? Sha256 = null);

/// <summary>
/// A learner whose state holds large pieces that never change once complete — MQL's sealed replay
/// segments. A checkpoint can store each piece once, apart from the rest of the state (a training
/// task's grain keeps its segments), and the state then only names the pieces it needs.
/// </summary>
public interface IStatePieces
{
    /// <summary>The tasks the pieces belong to (index = <see cref="StatePiece.Task"/>).</summary>
    IReadOnlyList<MetaTask> PieceOwners { get; }

    /// <summary>Every piece the current state needs.</summary>
    IReadOnlyList<StatePiece> Pieces();

    byte[] PieceBytes(StatePiece piece);

    /// <summary>The state without its pieces; it lists them under "pieces" (<see cref="PiecesIn"/>).</summary>
    TensorArchive SaveStateApart();

    /// <summary>Restores what <see cref="SaveStateApart"/> wrote, <paramref name="fetch"/> giving each listed piece's bytes.</summary>
    void LoadStateApart(TensorArchive state, Func<StatePiece, byte[]> fetch);
}

public static class StatePieces
{
    public const string Entry = "pieces";

    public static void Write(TensorArchive archive, IEnumerable<StatePiece> pieces, string prefix = "") =>
        archive.AddBytes(prefix + Entry, System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(pieces.ToArray()));

    /// <summary>The pieces a state written apart needs (none for a self-contained state).</summary>
    public static IReadOnlyList<StatePiece> PiecesIn(TensorArchive archive, string prefix = "") =>
        archive.Contains(prefix + Entry)
            ? System.Text.Json.JsonSerializer.Deserialize<StatePiece[]>(archive.GetBytes(prefix + Entry)) ?? []
            : [];
}
