using System.Text;
using System.Text.Json;
using MetaRl.Grains.Interfaces.State;
using MetaRl.Learning.Robust.Cem;
using MetaRl.Learning.Training;
using MetaRl.Storage;

namespace MetaRl.Grains.Execution;

/// <summary>
/// Reads a run's append blob (metric lines, CEM records) as far as its state committed it and
/// checks it before anyone is shown a line: the blob is at least the committed length (or, while the
/// newest checkpoint's lines are still to be appended, exactly that checkpoint's offset: its manifest
/// holds them), every line is the record it should be in sequence, and the lines hash to the run's
/// digest. The lines before the first damage are returned; the damage is named. Grain code: it
/// calls back into the grain, so it stays on the grain's scheduler (no ConfigureAwait(false)).
/// </summary>
public static class CommittedLines
{
    /// <summary>Why a line is not what line <c>index</c> (0-based) should be; null when it is.</summary>
    public delegate string? LineCheck(string line, int index);

    /// <param name="path">The blob.</param>
    /// <param name="committed">The committed length and digest (the run's state).</param>
    /// <param name="newestTail">The newest checkpoint's offset and lines for this blob, or null when it cannot be read.</param>
    public static async Task<StoredLines> ReadAsync(IBlobStore store, string path, long committedLength, LineDigest? digest,
        Func<Task<(long Offset, List<string> Lines)?>> newestTail, LineCheck check, int fromLine, CancellationToken ct)
    {
        if (committedLength <= 0) return new StoredLines();
        byte[] bytes;
        try
        {
            bytes = await store.ReadFromAsync(path, 0, ct) ?? [];
        }
        catch (BlobUnreadableException e)
        {
            return new StoredLines { Problem = $"{path} cannot be read ({e.InnerException?.Message ?? e.Message}); none of its {committedLength} committed bytes are shown" };
        }

        string? problem = null;
        bool complete = true;
        string text;
        if (bytes.LongLength >= committedLength) text = Encoding.UTF8.GetString(bytes, 0, (int)committedLength);
        else if (await newestTail() is { } tail && tail.Offset == bytes.LongLength
                 && tail.Offset + tail.Lines.Sum(l => Encoding.UTF8.GetByteCount(l) + 1L) == committedLength)
            text = Encoding.UTF8.GetString(bytes) + string.Concat(tail.Lines.Select(l => l + "\n")); // committed, not appended yet
        else
        {
            problem = $"{path} is {bytes.LongLength} bytes; the run committed {committedLength}";
            complete = false;
            text = Encoding.UTF8.GetString(bytes);
        }

        var lines = text.Split('\n').ToList();
        var cutLine = lines[^1];
        lines.RemoveAt(lines.Count - 1); // the empty rest after the last line break, or a cut line
        int good = lines.Count;
        for (int i = 0; i < lines.Count; i++)
        {
            if (check(lines[i], i) is not { } wrong) continue;
            problem ??= $"{path} line {i + 1} is not {wrong}";
            good = i;
            break;
        }
        if (cutLine.Length > 0 && complete)
            problem ??= check(cutLine, lines.Count) is { } wrong
                ? $"{path} line {lines.Count + 1} is not {wrong}"
                : $"{path} does not end a line where the run's commit ends (byte {committedLength})";
        if (digest is not null)
        {
            int confirmed = LineDigests.Confirmed(digest, lines, complete && problem is null);
            if (confirmed < good)
            {
                problem ??= $"{path} does not hold what the run committed (its lines differ from the run's digest after line {confirmed})";
                good = confirmed;
            }
        }
        return new StoredLines { Lines = lines.Take(good).Skip(Math.Max(0, fromLine)).ToList(), Problem = problem };
    }

    /// <summary>A metric line: a JSON object of iteration index + 1.</summary>
    public static string? MetricLine(string line, int index) => Check(line, "a metric line", "iteration", index + 1, "iteration");

    /// <summary>A CEM record: a JSON object of update index.</summary>
    public static string? CemRecord(string line, int index) => Check(line, "a CEM update record", "index", index, "update");

    /// <summary>
    /// Whether <paramref name="line"/> is one well-formed JSON object whose top-level number
    /// <paramref name="property"/> is <paramref name="expected"/>: read once with a forward-only reader,
    /// nothing allocated per field (a run's CEM history is megabytes; the digest vouches for the content).
    /// </summary>
    private static string? Check(string line, string what, string property, int expected, string numberName)
    {
        if (!line.StartsWith('{')) return $"{what} (not a JSON object)";
        var bytes = System.Text.Encoding.UTF8.GetBytes(line);
        var reader = new Utf8JsonReader(bytes, new JsonReaderOptions { MaxDepth = 64 });
        int? found = null;
        try
        {
            while (reader.Read())
            {
                if (reader.CurrentDepth == 1 && reader.TokenType == JsonTokenType.PropertyName && reader.ValueTextEquals(property))
                {
                    reader.Read();
                    if (reader.TokenType != JsonTokenType.Number || !reader.TryGetInt32(out int n)) return $"{what} ({property} is not an integer)";
                    found = n;
                }
            }
            if (reader.BytesConsumed != bytes.Length) return $"{what} (text after the object)";
        }
        catch (JsonException e)
        {
            return $"{what} ({e.Message.Split('\n')[0]})";
        }
        if (found is not { } number) return $"{what} (no {property})";
        return number == expected ? null : $"{what} of {numberName} {expected} in sequence (it says {numberName} {number})";
    }
}
