using System.Text;

namespace MetaRl.Client;

/// <summary>
/// Text files the user names (specs, results). Read with a bound, so that a device or pipe that never
/// ends (/dev/zero) is refused instead of read until memory runs out; every way to fail is a usage
/// error naming the file.
/// </summary>
public static class UserFiles
{
    public static string ReadText(string path, string what, long maxBytes)
    {
        try
        {
            if (Directory.Exists(path)) throw new UsageException($"{what} {Untrusted.Quote(path)} is a folder; allowed: a file");
            if (!File.Exists(path)) throw new UsageException($"{what} {Untrusted.Quote(path)} not found");
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
            var bytes = new MemoryStream();
            var chunk = new byte[81920];
            int read;
            while ((read = stream.Read(chunk)) > 0)
            {
                bytes.Write(chunk, 0, read);
                if (bytes.Length > maxBytes) throw new UsageException($"{what} {Untrusted.Quote(path)} is larger than {maxBytes} bytes; allowed: at most {maxBytes >> 20} MiB");
            }
            bytes.Position = 0;
            using var reader = new StreamReader(bytes, Encoding.UTF8, detectEncodingFromByteOrderMarks: true);
            return reader.ReadToEnd();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            throw new UsageException($"{what} cannot be read: {Untrusted.Line(e.Message)} ({Untrusted.Quote(path)})");
        }
    }
}
