namespace MetaRl.Grains;

/// <summary>
/// A stored item (grain state, result, metric line) that cannot be read: recognised wherever it
/// surfaces — in the silo, or at the console as a grain call's failure — so that readers can name it
/// and go on with the rest.
/// </summary>
public static class StoredData
{
    /// <summary>The activity a run's view shows when its stored state cannot be read.</summary>
    public const string Unreadable = "unreadable";

    public static bool IsUnreadable(Exception e)
    {
        for (Exception? x = e; x is not null; x = x.InnerException)
            if (x is InvalidDataException or System.Text.Json.JsonException or MetaRl.Storage.BlobUnreadableException || IsStateReadFailure(x)) return true;
        return false;
    }

    /// <summary>Orleans' wrapper when a grain's state could not be read as it activated.</summary>
    private static bool IsStateReadFailure(Exception x) =>
        x is OrleansException && x.Message.StartsWith("Error from storage provider", StringComparison.Ordinal) && x.Message.Contains("ReadStateAsync", StringComparison.Ordinal);

    /// <summary>What went wrong, innermost reason last ("… during ReadStateAsync for grain metapolicy/x: grain state blob '…' is not a readable …").</summary>
    public static string Describe(Exception e)
    {
        var parts = new List<string>();
        for (Exception? x = e; x is not null && parts.Count < 4; x = x.InnerException)
        {
            var line = x.Message.Split('\n')[0].Trim();
            if (line.Length > 0 && !parts.Any(p => p.Contains(line, StringComparison.Ordinal))) parts.Add(line);
        }
        return string.Join(": ", parts);
    }
}
