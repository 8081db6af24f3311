namespace MetaRl.Storage;

/// <summary>A storage failure with the service's status code (HTTP semantics for every provider).</summary>
public class BlobStoreException(string message, int status, Exception? inner = null) : Exception(message, inner)
{
    public int Status { get; } = status;
}

/// <summary>A conditional write or delete whose condition did not hold (412; 409 for "must not exist").</summary>
public sealed class BlobConditionFailedException(string path, int status, Exception? inner = null)
    : BlobStoreException($"blob '{path}': the write's condition did not hold ({status})", status, inner);

/// <summary>The blob does not exist (404).</summary>
public sealed class BlobNotFoundException(string path, Exception? inner = null)
    : BlobStoreException($"blob '{path}' does not exist (404)", 404, inner);

/// <summary>
/// The blob exists but the storage refuses to give its bytes (the local folder: the operating system
/// denies reading the file). Not transient: the same read fails again until someone fixes the file.
/// </summary>
public sealed class BlobUnreadableException(string path, string reason, Exception? inner = null)
    : BlobStoreException($"blob '{path}' cannot be read: {reason} (403)", 403, inner)
{
    public string Path { get; } = path;
}
