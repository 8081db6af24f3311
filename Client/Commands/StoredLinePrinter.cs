using System.Text.Json;

namespace MetaRl.Client.Commands;

/// <summary>
/// Stored JSON lines (a run's metrics, a CEM's update history) as a reader prints them: each line that
/// parses, written again by the JSON serializer (which escapes every control and non-ASCII character),
/// and each that does not named on stderr instead of printed — it could hold anything.
/// </summary>
public static class StoredLinePrinter
{
    /// <summary>
    /// The line as JSON safe to print, or null when it is not one JSON value: a line of printable ASCII
    /// only is checked and shown as it is (a run's CEM history is megabytes of such lines); any other
    /// is written again by the JSON serializer, which escapes every control and non-ASCII character.
    /// </summary>
    public static string? AsJson(string line)
    {
        try
        {
            if (PrintableAscii(line))
            {
                var bytes = System.Text.Encoding.ASCII.GetBytes(line);
                var reader = new Utf8JsonReader(bytes, new JsonReaderOptions { MaxDepth = 64 });
                reader.Read();
                reader.Skip();
                return reader.BytesConsumed == bytes.Length && !reader.Read() ? line : null;
            }
            using var doc = JsonDocument.Parse(line);
            return JsonSerializer.Serialize(doc.RootElement);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static bool PrintableAscii(string line)
    {
        foreach (char c in line)
            if (c is < ' ' or > '~') return false;
        return line.Length > 0;
    }

    /// <summary>Hands each line that parses as JSON to <paramref name="take"/>; each that does not is named on stderr. Exit 1 when some were unreadable.</summary>
    public static int Each(IEnumerable<string> lines, int first, string what, string owner, Action<System.Text.Json.Nodes.JsonNode> take)
    {
        int number = first, unreadable = 0;
        foreach (var line in lines)
        {
            number++;
            System.Text.Json.Nodes.JsonNode? node = null;
            try
            {
                node = System.Text.Json.Nodes.JsonNode.Parse(line);
            }
            catch (JsonException)
            {
            }
            if (node is not null) take(node);
            else
            {
                unreadable++;
                Console.Error.WriteLine($"metarl: {owner}: {what} line {number} is unreadable, left out: {Untrusted.Quote(line, 80)}");
            }
        }
        return unreadable == 0 ? Cli.ExitOk : Cli.ExitFailure;
    }

    /// <summary>Prints each line through <paramref name="format"/> (null: unreadable); lines are numbered from <paramref name="first"/> + 1. Exit 1 when some were unreadable.</summary>
    public static int Print(IEnumerable<string> lines, int first, string what, string owner, Func<string, string?> format)
    {
        int number = first, unreadable = 0;
        foreach (var line in lines)
        {
            number++;
            if (format(line) is { } shown) Console.WriteLine(shown);
            else
            {
                unreadable++;
                Console.Error.WriteLine($"metarl: {owner}: {what} line {number} is unreadable, left out: {Untrusted.Quote(line, 80)}");
            }
        }
        return unreadable == 0 ? Cli.ExitOk : Cli.ExitFailure;
    }
}
