using System.Diagnostics;

namespace MetaRl.Storage;

/// <summary>
/// A per-blob lock held as an open lock file. On Linux .NET takes an advisory flock on open:
/// FileShare.None takes LOCK_EX, any other share mode (with read access) LOCK_SH. flock locks
/// belong to the open file description, so they exclude each other between threads of one process
/// and between processes alike, and the kernel drops them when a process dies (no stale locks).
/// .NET only ever tries the lock without blocking, so a busy lock is polled with a growing delay.
/// (Setting DOTNET_SYSTEM_IO_DISABLEFILELOCKING turns this off and with it the local provider's
/// atomicity.)
/// </summary>
internal sealed class FileBlobLock : IDisposable
{
    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(60);

    private readonly FileStream _file;

    private FileBlobLock(FileStream file) => _file = file;

    public static async Task<FileBlobLock> AcquireAsync(string lockPath, bool exclusive, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        int delayMs = 1;
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            try
            {
                Directory.CreateDirectory(Path.GetDirectoryName(lockPath)!);
                var file = exclusive
                    ? new FileStream(lockPath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, 1)
                    : new FileStream(lockPath, FileMode.OpenOrCreate, FileAccess.Read, FileShare.ReadWrite, 1);
                return new FileBlobLock(file);
            }
            catch (IOException e) when (e is not (DirectoryNotFoundException or PathTooLongException or FileNotFoundException))
            {
                // Held by another thread or process (EWOULDBLOCK surfaces as a sharing-violation IOException).
                if (clock.Elapsed > s_timeout)
                    throw new BlobStoreException($"lock '{lockPath}' stayed busy for {s_timeout.TotalSeconds:F0} s", 503, e);
            }
            // Jitter keeps several waiters from retrying in lockstep.
            await Task.Delay(delayMs + Random.Shared.Next(delayMs + 1), cancellationToken).ConfigureAwait(false);
            delayMs = Math.Min(delayMs * 2, 32);
        }
    }

    public void Dispose() => _file.Dispose();
}
