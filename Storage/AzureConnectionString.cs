using Azure.Storage.Blobs;

namespace MetaRl.Storage;

/// <summary>
/// An Azure Storage connection string checked the way the Azure SDK reads it (its client
/// constructors), with what is wrong named in the string's own terms — and its secrets (AccountKey,
/// SharedAccessSignature) never shown.
/// </summary>
public static class AzureConnectionString
{
    /// <summary>What the connection string holds that is secret: shown as "(hidden)".</summary>
    private static readonly string[] Secrets = ["AccountKey", "SharedAccessSignature", "sig"];

    public const string Allowed = "an Azure Storage connection string: AccountName=…;AccountKey=<Base-64> (with DefaultEndpointsProtocol or BlobEndpoint/TableEndpoint), or endpoints with a SharedAccessSignature, or UseDevelopmentStorage=true";

    /// <summary>Why the Azure SDK cannot use <paramref name="connectionString"/> for blobs, in its terms; null when it can.</summary>
    public static string? BlobProblem(string connectionString) =>
        Problem(connectionString, "BlobEndpoint", () => _ = new BlobServiceClient(connectionString));

    /// <summary>
    /// Why <paramref name="construct"/> (an SDK client's constructor on the string) refuses it, named in
    /// the string's terms; null when it accepts it. <paramref name="endpointKey"/> is the endpoint the
    /// client needs (BlobEndpoint, TableEndpoint).
    /// </summary>
    public static string? Problem(string connectionString, string endpointKey, Action construct)
    {
        var pairs = Pairs(connectionString);
        if (pairs is null) return "it is not a list of name=value pairs separated by ';'";
        try
        {
            construct();
            return null;
        }
        catch (Exception e) when (e is FormatException or ArgumentException or InvalidOperationException or UriFormatException)
        {
            string? Get(string key) => pairs.LastOrDefault(p => string.Equals(p.Key, key, StringComparison.OrdinalIgnoreCase)).Value;
            if (Get("AccountKey") is { } key && !IsBase64(key)) return "its AccountKey is not Base-64";
            foreach (var endpoint in new[] { "BlobEndpoint", "TableEndpoint", "QueueEndpoint", "FileEndpoint" })
                if (Get(endpoint) is { } url && !(Uri.TryCreate(url, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https"))
                    return $"its {endpoint} is not an http(s) URL";
            if (Get("DefaultEndpointsProtocol") is { } protocol && protocol is not ("http" or "https")) return "its DefaultEndpointsProtocol is not http or https";
            if (Get("AccountName") is null && Get(endpointKey) is null) return $"it names no account (AccountName) and no {endpointKey}";
            if (Get("AccountKey") is null && Get("SharedAccessSignature") is null && Get("UseDevelopmentStorage") is null)
                return Get("AccountName") is null ? "it has no AccountKey and no SharedAccessSignature" : "it has an AccountName but no AccountKey (or SharedAccessSignature)";
            if (Get("AccountName") is null && Get("AccountKey") is not null) return "it has an AccountKey but no AccountName";
            return $"the Azure SDK cannot read it for {endpointKey[..^"Endpoint".Length].ToLowerInvariant()}s ({e.GetType().Name})";
        }
    }

    /// <summary>The string with every secret's value replaced by "(hidden)", for messages.</summary>
    public static string Redacted(string connectionString)
    {
        var parts = connectionString.Split(';');
        for (int i = 0; i < parts.Length; i++)
        {
            int eq = parts[i].IndexOf('=', StringComparison.Ordinal);
            if (eq > 0 && Secrets.Any(s => string.Equals(parts[i][..eq].Trim(), s, StringComparison.OrdinalIgnoreCase))) parts[i] = parts[i][..(eq + 1)] + "(hidden)";
            else if (eq < 0 && parts[i].Length > 0) parts[i] = "(hidden)"; // not a pair: it could be a key pasted alone
            else if (eq > 0) parts[i] = RedactQuery(parts[i]);
        }
        return string.Join(';', parts);
    }

    /// <summary>An endpoint URL may carry a SAS in its query (…?sv=…&amp;sig=…): its signature is hidden too.</summary>
    private static string RedactQuery(string pair)
    {
        int q = pair.IndexOf('?', StringComparison.Ordinal);
        if (q < 0) return pair;
        var query = pair[(q + 1)..].Split('&').Select(p => p.StartsWith("sig=", StringComparison.OrdinalIgnoreCase) ? "sig=(hidden)" : p);
        return pair[..(q + 1)] + string.Join('&', query);
    }

    private static List<KeyValuePair<string, string>>? Pairs(string connectionString)
    {
        var pairs = new List<KeyValuePair<string, string>>();
        foreach (var part in connectionString.Split(';'))
        {
            if (part.Trim().Length == 0) continue;
            int eq = part.IndexOf('=', StringComparison.Ordinal);
            if (eq <= 0) return null;
            pairs.Add(new(part[..eq].Trim(), part[(eq + 1)..].Trim()));
        }
        return pairs.Count == 0 ? null : pairs;
    }

    private static bool IsBase64(string text)
    {
        var buffer = new byte[text.Length];
        return text.Length > 0 && Convert.TryFromBase64String(text, buffer, out _);
    }
}
