using System.Globalization;
using System.Text;

namespace MetaRl.Grains;

/// <summary>
/// Text that came from a user or a stored file, made safe to print: control characters (ANSI
/// escapes, NUL, carriage returns, …) shown as \xNN instead of reaching the terminal, characters that
/// reorder or break the terminal's lines (bidi overrides, line separators, lone surrogates) as '?',
/// each line cut to a sane length. <see cref="Clean"/> keeps a text's own lines (at most 60);
/// <see cref="Line"/> and <see cref="Quote"/> are for a value inside a line of ours (a table cell, a
/// name in a message): its newlines are escaped too, so it can never start a line of its own.
/// </summary>
public static class Untrusted
{
    public static string Clean(string? text, int maxLine = 400, int maxLines = 60)
    {
        if (string.IsNullOrEmpty(text)) return "";
        var lines = text.Split('\n');
        var sb = new StringBuilder();
        for (int i = 0; i < Math.Min(lines.Length, maxLines); i++)
        {
            if (i > 0) sb.Append('\n');
            var line = lines[i];
            if (line.EndsWith('\r') && i < lines.Length - 1) line = line[..^1]; // a CRLF line end, not a carriage return inside a line
            Append(sb, line, maxLine);
        }
        if (lines.Length > maxLines) sb.Append($"\n… ({lines.Length - maxLines} more lines)");
        return sb.ToString();
    }

    /// <summary>One line: newlines escaped like every other control character; cut at <paramref name="max"/> characters.</summary>
    public static string Line(string? text, int max = 400)
    {
        if (string.IsNullOrEmpty(text)) return "";
        var sb = new StringBuilder();
        Append(sb, text, max);
        return sb.ToString();
    }

    /// <summary>
    /// A value inside a message, quoted and short, so that the message's reason stays in view: a long
    /// one keeps its start and its end (a path's file name): 'abc…xyz' (5000 characters).
    /// </summary>
    public static string Quote(string? text, int max = 60)
    {
        text ??= "";
        if (text.Length <= max) return $"'{Line(text, max)}'";
        int head = max * 2 / 3, tail = max - head;
        return $"'{Line(text[..head], head)}…{Line(text[^tail..], tail)}' ({text.Length.ToString(CultureInfo.InvariantCulture)} characters)";
    }

    /// <summary>
    /// Every quoted value ('…') of 80 characters or more in a message shortened as <see cref="Quote"/> does,
    /// so that what follows it stays in view. A quote opens only at the start, after a space or an opening
    /// bracket, '=' or ':', and closes only before the end, a space or punctuation — so the apostrophes of
    /// two short quoted values ('a' and 'b') are not read as one long value between them.
    /// </summary>
    public static string ShortenQuoted(string message) =>
        System.Text.RegularExpressions.Regex.Replace(message, @"(?<=^|[\s(\[=:])'([^'\n]{80,})'(?=$|[\s)\],;:.!?])", m => Quote(m.Groups[1].Value),
            System.Text.RegularExpressions.RegexOptions.None, TimeSpan.FromSeconds(1));

    /// <summary>One problem of a list (a spec's, a setting's), as one line of a message: long quoted values shortened, newlines escaped.</summary>
    public static string Problem(string? problem) => Line(ShortenQuoted(problem ?? ""), 4000);

    /// <summary>True for characters a terminal obeys rather than shows, besides the controls: they reorder text or break lines.</summary>
    public static bool Reorders(char c) =>
        c is '\u2028' or '\u2029' or (>= '\u202A' and <= '\u202E') or '\u200E' or '\u200F' or (>= '\u2066' and <= '\u2069') or '\u061C';

    private static void Append(StringBuilder sb, string line, int maxLine)
    {
        int shown = Math.Min(line.Length, maxLine);
        for (int j = 0; j < shown; j++)
        {
            char c = line[j];
            if (char.IsControl(c)) sb.Append($"\\x{(int)c:X2}");
            else if (char.IsHighSurrogate(c) && j + 1 < line.Length && char.IsLowSurrogate(line[j + 1])) sb.Append(c).Append(line[++j]); // a whole character
            else if (char.IsSurrogate(c) || Reorders(c)) sb.Append('?'); // a lone half of a pair, or a character that reorders or breaks the terminal's line
            else sb.Append(c);
        }
        if (line.Length > shown) sb.Append($"… ({line.Length - shown} more characters)");
    }
}
