using System.Numerics;
using System.Security.Cryptography;
using System.Text;
using MetaRl.Grains.Interfaces.State;

namespace MetaRl.Grains.Execution;

/// <summary>Extends a <see cref="LineDigest"/> as a run commits lines, and tells how many leading lines of a blob it confirms.</summary>
public static class LineDigests
{
    private const int MarkBytes = 16;

    /// <summary>
    /// The digest after <paramref name="lines"/> are committed after <paramref name="digest"/>; null
    /// when the blob already had lines committed without a digest (<paramref name="committedLength"/> &gt; 0
    /// and no digest: a run from before digests were kept stays unchecked).
    /// </summary>
    public static LineDigest? Extend(LineDigest? digest, long committedLength, IReadOnlyCollection<string> lines)
    {
        var start = digest ?? (committedLength == 0 ? new LineDigest() : null);
        if (start is null || lines.Count == 0) return start;
        var h = start.Chain.Length == 0 ? new byte[32] : Convert.FromHexString(start.Chain);
        var marks = new List<string>(start.Marks);
        int count = start.Lines;
        foreach (var line in lines)
        {
            h = Next(h, line);
            count++;
            if (BitOperations.IsPow2(count)) marks.Add(Mark(h));
        }
        return new LineDigest { Lines = count, Chain = Convert.ToHexStringLower(h), Marks = marks };
    }

    /// <summary>
    /// How many leading <paramref name="lines"/> the digest confirms: up to the last mark that holds
    /// before the first that does not, or all of them when <paramref name="complete"/> (they are every
    /// committed line) and their chain is the digest's.
    /// </summary>
    public static int Confirmed(LineDigest digest, IReadOnlyList<string> lines, bool complete)
    {
        var h = new byte[32];
        int confirmed = 0;
        for (int i = 0; i < lines.Count; i++)
        {
            h = Next(h, lines[i]);
            int count = i + 1;
            if (!BitOperations.IsPow2(count)) continue;
            int k = BitOperations.Log2((uint)count);
            if (k >= digest.Marks.Count) continue;
            if (Mark(h) != digest.Marks[k]) return confirmed;
            confirmed = count;
        }
        return complete && lines.Count == digest.Lines && (lines.Count == 0 ? digest.Chain.Length == 0 : Convert.ToHexStringLower(h) == digest.Chain)
            ? lines.Count
            : confirmed;
    }

    private static byte[] Next(byte[] h, string line)
    {
        var bytes = Encoding.UTF8.GetBytes(line);
        var input = new byte[h.Length + bytes.Length + 1];
        h.CopyTo(input, 0);
        bytes.CopyTo(input, h.Length);
        input[^1] = (byte)'\n';
        return SHA256.HashData(input);
    }

    private static string Mark(byte[] h) => Convert.ToHexStringLower(h, 0, MarkBytes);
}
