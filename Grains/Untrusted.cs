using System.Text;

namespace MetaRl.Grains;

/// <summary>
/// Text that came from a user or a stored file, made safe to print: control characters (ANSI
/// escapes, NUL, …) shown as \xNN instead of reaching the terminal, each line cut to a sane length,
/// and at most 60 lines.
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
            var line = lines[i].TrimEnd('\r');
            int shown = Math.Min(line.Length, maxLine);
            for (int j = 0; j < shown; j++)
            {
                char c = line[j];
                if (char.IsControl(c) && c != '\t') sb.Append($"\\x{(int)c:X2}");
                else if (char.IsHighSurrogate(c) && j + 1 < line.Length && char.IsLowSurrogate(line[j + 1])) sb.Append(c).Append(line[++j]); // a whole character
                else if (char.IsSurrogate(c) || c is '\u2028' or '\u2029' or '\u202A' or '\u202B' or '\u202D' or '\u202E' or '\u200F' or '\u2066' or '\u2067' or '\u2068')
                    sb.Append('?'); // a lone half of a pair, or a character that reorders or breaks the terminal's line
                else sb.Append(c);
            }
            if (line.Length > shown) sb.Append($"… ({line.Length - shown} more characters)");
        }
        if (lines.Length > maxLines) sb.Append($"\n… ({lines.Length - maxLines} more lines)");
        return sb.ToString();
    }
}
