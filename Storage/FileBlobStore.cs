using System.Runtime.CompilerServices;

namespace MetaRl.Storage;

/// <summary>
/// <see cref="IBlobStore"/> on the local file system: the embedded default, with the same
/// semantics as Azure Blob Storage (see <see cref="FileBlobLayout"/> for where things live).
/// Every mutation holds the blob's exclusive lock file (flock, so it excludes other threads and
/// other processes on the same folder), writes the new content to a temp file, fsyncs it and renames
/// it over the blob (atomic replace), then replaces the metadata record the same way. Reads hold the
/// shared lock, so they never pair new content with an old ETag, and reads write nothing — no record,
/// no lock file, no folder. The metadata remembers the content's length and modification time: if a
/// crash (or an edit behind the store's back) left content without its matching record, every access
/// derives the same fresh ETag from the old record and the content's length and time, so a holder
/// of the old ETag cannot overwrite a version it never read; the next write stores a new record.
/// Limits of a file system: a blob "a" and a blob "a/b" cannot both exist (one would be a file, the
/// other needs a folder of the same name); the second gets a <see cref="BlobStoreException"/> 409.
/// Appends are atomic between processes but a crash mid-append can leave a partial block.
/// </summary>
public sealed class FileBlobStore : IBlobStore
{
    private readonly FileBlobLayout _layout;

    public FileBlobStore(string rootFolder, string containerName)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(rootFolder);
        if (!StorageOptions.IsValidContainerName(containerName))
            throw new ArgumentException($"container '{containerName}' is not valid: 3-63 lowercase letters, digits and single hyphens", nameof(containerName));
        _layout = new FileBlobLayout(Path.Combine(Path.GetFullPath(rootFolder), containerName));
        Location = new Uri(_layout.ContainerFolder).AbsoluteUri;
    }

    /// <summary>The store for <see cref="StorageOptions.LocalPath"/> and <see cref="StorageOptions.Container"/>.</summary>
    /// <exception cref="ArgumentException">The options are not valid for the local provider.</exception>
    public static FileBlobStore Create(StorageOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = (options with { Provider = StorageOptions.LocalProvider }).Validate();
        if (errors.Count > 0) throw new ArgumentException(string.Join("; ", errors), nameof(options));
        return new FileBlobStore(options.LocalPath, options.Container);
    }

    public string Location { get; }

    /// <summary>The lock file of a blob; tests hold it from another process to check that the lock is process-wide.</summary>
    internal string LockFileOf(string path) => _layout.LockPath(path);

    public Task EnsureCreatedAsync(CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        Directory.CreateDirectory(_layout.ContainerFolder);
        Directory.CreateDirectory(_layout.SidecarRoot);
        return Task.CompletedTask;
    }

    public async Task<BlobContent?> ReadAsync(string path, CancellationToken cancellationToken)
    {
        FileBlobLayout.ValidateForFileSystem(path, nameof(path));
        if (!File.Exists(_layout.ContentPath(path))) return null;
        return await ReadLockedAsync<BlobContent?>(path, async meta =>
        {
            if (meta is null) return null;
            // Exactly the length the record describes: an append landing meanwhile (lock-free reads) is not this version.
            using var file = new FileStream(_layout.ContentPath(path), FileMode.Open, FileAccess.Read, FileShare.ReadWrite, 1);
            var content = new byte[meta.Length];
            await file.ReadExactlyAsync(content, cancellationToken).ConfigureAwait(false);
            return new BlobContent(content, meta.ETag);
        }, cancellationToken).ConfigureAwait(false);
    }

    public async Task<BlobProperties?> GetPropertiesAsync(string path, CancellationToken cancellationToken)
    {
        FileBlobLayout.ValidateForFileSystem(path, nameof(path));
        if (!File.Exists(_layout.ContentPath(path))) return null;
        return await ReadLockedAsync<BlobProperties?>(path, meta => Task.FromResult<BlobProperties?>(meta is null ? null : ToProperties(meta)), cancellationToken).ConfigureAwait(false);
    }

    public async Task<string> WriteAsync(string path, ReadOnlyMemory<byte> content, WriteCondition condition, CancellationToken cancellationToken)
    {
        FileBlobLayout.ValidateForFileSystem(path, nameof(path));
        BlobPaths.ValidateCondition(condition, nameof(condition));
        return await MutateAsync(path, async meta =>
        {
            CheckCondition(path, meta, condition, isDelete: false);
            var (length, writeTicks) = await ReplaceContentAsync(path, content, cancellationToken).ConfigureAwait(false);
            var updated = new FileBlobMetadata(FileBlobMetadata.NewETag(), length, writeTicks, UtcNowTicks(), FileBlobMetadata.BlockKind);
            await WriteMetadataAsync(path, updated, cancellationToken).ConfigureAwait(false);
            return updated.ETag;
        }, cancellationToken).ConfigureAwait(false);
    }

    public async Task<bool> DeleteAsync(string path, WriteCondition condition, CancellationToken cancellationToken)
    {
        FileBlobLayout.ValidateForFileSystem(path, nameof(path));
        BlobPaths.ValidateCondition(condition, nameof(condition));
        if (!File.Exists(_layout.ContentPath(path))) return false;
        return await MutateAsync(path, meta =>
        {
            if (meta is null) return Task.FromResult(false);
            CheckCondition(path, meta, condition, isDelete: true);
            // Content first: once it is gone the blob is gone, whatever happens to the record.
            File.Delete(_layout.ContentPath(path));
            File.Delete(_layout.MetadataPath(path));
            PruneEmptyFolders(path);
            return Task.FromResult(true);
        }, cancellationToken).ConfigureAwait(false);
    }

    public async IAsyncEnumerable<BlobItem> ListAsync(string prefix, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        BlobPaths.ValidatePrefix(prefix, nameof(prefix));
        var startFolder = prefix[..(prefix.LastIndexOf('/') + 1)];
        var names = new List<string>();
        CollectFiles(Path.Combine(_layout.ContainerFolder, startFolder), startFolder, names);
        names.RemoveAll(n => !n.StartsWith(prefix, StringComparison.Ordinal) || BlobPaths.Problem(n) is not null);
        names.Sort(StringComparer.Ordinal);
        foreach (var name in names)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var meta = await TryReadConsistentMetadataAsync(name, cancellationToken).ConfigureAwait(false);
            if (meta is null)
            {
                // Being written right now, or left without a matching record by a crash: ask under the lock (which derives one).
                var props = await GetPropertiesAsync(name, cancellationToken).ConfigureAwait(false);
                if (props is null) continue;
                yield return new BlobItem(name, props.ETag, props.Length, props.LastModified);
            }
            else
            {
                yield return new BlobItem(name, meta.ETag, meta.Length, meta.LastModified);
            }
        }
    }

    public Task<long> AppendAsync(string path, ReadOnlyMemory<byte> block, CancellationToken cancellationToken) =>
        AppendCoreAsync(path, block, null, cancellationToken);

    public Task<long> AppendAtAsync(string path, ReadOnlyMemory<byte> block, long expectedLength, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(expectedLength);
        return AppendCoreAsync(path, block, expectedLength, cancellationToken);
    }

    private async Task<long> AppendCoreAsync(string path, ReadOnlyMemory<byte> block, long? expectedLength, CancellationToken cancellationToken)
    {
        FileBlobLayout.ValidateForFileSystem(path, nameof(path));
        return await MutateAsync(path, async meta =>
        {
            long now = UtcNowTicks();
            if (expectedLength is { } expected && (meta?.Length ?? 0) != expected)
                throw new BlobConditionFailedException(path, 412);
            if (meta is null)
            {
                // Create it empty first, atomically, so that a crash mid-append still leaves an append blob.
                var (length0, ticks0) = await ReplaceContentAsync(path, ReadOnlyMemory<byte>.Empty, cancellationToken).ConfigureAwait(false);
                meta = new FileBlobMetadata(FileBlobMetadata.NewETag(), length0, ticks0, now, FileBlobMetadata.AppendKind);
            }
            else if (meta.Kind != FileBlobMetadata.AppendKind)
            {
                throw new BlobStoreException($"blob '{path}' is a block blob, not an append blob (InvalidBlobType) (409)", 409);
            }

            var contentPath = _layout.ContentPath(path);
            if (!block.IsEmpty)
            {
                using var file = new FileStream(contentPath, FileMode.Append, FileAccess.Write, FileShare.ReadWrite, 1);
                await file.WriteAsync(block, cancellationToken).ConfigureAwait(false);
                file.Flush(flushToDisk: true);
            }
            var info = new FileInfo(contentPath);
            var updated = meta with
            {
                ETag = FileBlobMetadata.NewETag(),
                Length = info.Length,
                ContentWriteTicks = info.LastWriteTimeUtc.Ticks,
                LastModifiedTicks = now,
            };
            await WriteMetadataAsync(path, updated, cancellationToken).ConfigureAwait(false);
            return updated.Length;
        }, cancellationToken).ConfigureAwait(false);
    }

    public async Task<byte[]?> ReadFromAsync(string path, long offset, CancellationToken cancellationToken)
    {
        FileBlobLayout.ValidateForFileSystem(path, nameof(path));
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        if (!File.Exists(_layout.ContentPath(path))) return null;
        return await ReadLockedAsync<byte[]?>(path, async meta =>
        {
            if (meta is null) return null;
            if (offset >= meta.Length) return Array.Empty<byte>();
            using var file = new FileStream(_layout.ContentPath(path), FileMode.Open, FileAccess.Read, FileShare.ReadWrite, 1);
            file.Seek(offset, SeekOrigin.Begin);
            var tail = new byte[meta.Length - offset];
            await file.ReadExactlyAsync(tail, cancellationToken).ConfigureAwait(false);
            return tail;
        }, cancellationToken).ConfigureAwait(false);
    }

    // ---- locking and metadata ----------------------------------------------------------------

    /// <summary>
    /// Runs <paramref name="read"/> with the blob's record under the shared lock. A blob without a
    /// lock file (never written through a store, or its sidecars were removed) is read without one,
    /// so that a read creates nothing: a writer creates the lock file before it touches anything and
    /// lock files are never removed, so a read that still finds none afterwards overlapped no write;
    /// otherwise it is read again under the lock. The operating system refusing to read the blob is
    /// a <see cref="BlobUnreadableException"/> naming it.
    /// </summary>
    private async Task<T> ReadLockedAsync<T>(string path, Func<FileBlobMetadata?, Task<T>> read, CancellationToken cancellationToken)
    {
        try
        {
            var lockPath = _layout.LockPath(path);
            if (!File.Exists(lockPath))
            {
                try
                {
                    var seen = await read(await LoadAsync(path, cancellationToken).ConfigureAwait(false)).ConfigureAwait(false);
                    if (!File.Exists(lockPath)) return seen;
                }
                catch (Exception e) when (e is IOException && File.Exists(lockPath))
                {
                    // A writer came along mid-read (the content was replaced or pruned under us): read it under the lock.
                }
            }
            using (await FileBlobLock.AcquireAsync(lockPath, exclusive: false, cancellationToken).ConfigureAwait(false))
                return await read(await LoadAsync(path, cancellationToken).ConfigureAwait(false)).ConfigureAwait(false);
        }
        catch (UnauthorizedAccessException e)
        {
            throw new BlobUnreadableException(path, e.Message, e);
        }
    }

    /// <summary>Runs <paramref name="mutate"/> with the blob's current record (null: missing) under its exclusive lock.</summary>
    private async Task<T> MutateAsync<T>(string path, Func<FileBlobMetadata?, Task<T>> mutate, CancellationToken cancellationToken)
    {
        // Checked before locking: taking the lock would create the folders and hide a missing container.
        if (!Directory.Exists(_layout.ContainerFolder))
            throw new BlobStoreException($"container folder '{_layout.ContainerFolder}' does not exist; call EnsureCreatedAsync first (404)", 404);
        using (await FileBlobLock.AcquireAsync(_layout.LockPath(path), exclusive: true, cancellationToken).ConfigureAwait(false))
        {
            var meta = await LoadAsync(path, cancellationToken).ConfigureAwait(false);
            return await mutate(meta).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// The record of an existing blob (null: missing). A record that does not describe the content
    /// on disk (or no record) gives way to one derived from it and the content — the same for every
    /// reader and writer until a write stores a new one — and nothing is written here.
    /// </summary>
    private async Task<FileBlobMetadata?> LoadAsync(string path, CancellationToken cancellationToken)
    {
        var content = new FileInfo(_layout.ContentPath(path));
        if (!content.Exists) return null;
        var meta = await TryReadMetadataAsync(path, cancellationToken).ConfigureAwait(false);
        return meta is not null && Describes(meta, content) ? meta : FileBlobMetadata.Derived(meta, content.Length, content.LastWriteTimeUtc.Ticks);
    }

    /// <summary>The record when it matches the content right now, without locking (listing's fast path).</summary>
    private async Task<FileBlobMetadata?> TryReadConsistentMetadataAsync(string path, CancellationToken cancellationToken)
    {
        var meta = await TryReadMetadataAsync(path, cancellationToken).ConfigureAwait(false);
        var content = new FileInfo(_layout.ContentPath(path));
        return meta is not null && content.Exists && Describes(meta, content) ? meta : null;
    }

    private static bool Describes(FileBlobMetadata meta, FileInfo content) =>
        meta.Length == content.Length && meta.ContentWriteTicks == content.LastWriteTimeUtc.Ticks;

    private async Task<FileBlobMetadata?> TryReadMetadataAsync(string path, CancellationToken cancellationToken)
    {
        try
        {
            return FileBlobMetadata.TryDeserialize(await File.ReadAllBytesAsync(_layout.MetadataPath(path), cancellationToken).ConfigureAwait(false));
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }
    }

    private async Task WriteMetadataAsync(string path, FileBlobMetadata meta, CancellationToken cancellationToken)
    {
        var target = _layout.MetadataPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        var temp = _layout.TempPath(path);
        try
        {
            await WriteDurablyAsync(temp, meta.Serialize(), cancellationToken).ConfigureAwait(false);
            File.Move(temp, target, overwrite: true);
        }
        finally
        {
            File.Delete(temp);
        }
    }

    /// <summary>Replaces the content atomically (temp file, fsync, rename); returns its length and modification time.</summary>
    private async Task<(long Length, long WriteTicks)> ReplaceContentAsync(string path, ReadOnlyMemory<byte> content, CancellationToken cancellationToken)
    {
        var target = _layout.ContentPath(path);
        var temp = _layout.TempPath(path);
        try
        {
            EnsureContentFolder(path);
            await WriteDurablyAsync(temp, content, cancellationToken).ConfigureAwait(false);
            var written = new FileInfo(temp);
            var result = (written.Length, written.LastWriteTimeUtc.Ticks); // rename keeps the modification time
            for (int attempt = 0; ; attempt++)
            {
                try
                {
                    File.Move(temp, target, overwrite: true);
                    return result;
                }
                catch (DirectoryNotFoundException) when (attempt < 5)
                {
                    // A concurrent delete of a sibling pruned the (then empty) folder: make it again.
                    EnsureContentFolder(path);
                }
            }
        }
        finally
        {
            File.Delete(temp);
        }
    }

    private static async Task WriteDurablyAsync(string file, ReadOnlyMemory<byte> bytes, CancellationToken cancellationToken)
    {
        using var stream = new FileStream(file, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1);
        await stream.WriteAsync(bytes, cancellationToken).ConfigureAwait(false);
        stream.Flush(flushToDisk: true);
    }

    private void EnsureContentFolder(string path)
    {
        if (Directory.Exists(_layout.ContentPath(path)))
            throw Collision(path, $"{path}/…");
        foreach (var parent in FileBlobLayout.ParentPaths(path))
        {
            if (File.Exists(_layout.ContentPath(parent)))
                throw Collision(path, parent);
        }
        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(_layout.ContentPath(path))!);
        }
        catch (IOException e)
        {
            throw Collision(path, "a blob created meanwhile", e);
        }
    }

    private static BlobStoreException Collision(string path, string other, Exception? inner = null) =>
        new($"blob '{path}' cannot be stored by the local provider next to '{other}': a file system cannot have a file and a folder of the same name (409)", 409, inner);

    /// <summary>Removes the folders a deleted blob leaves empty, so the name can become a blob again.</summary>
    private void PruneEmptyFolders(string path)
    {
        foreach (var parent in FileBlobLayout.ParentPaths(path).Reverse())
        {
            try
            {
                Directory.Delete(_layout.ContentPath(parent), recursive: false);
            }
            catch (IOException)
            {
                return; // not empty (or already gone): nothing further up can be empty either
            }
        }
    }

    /// <summary>Blob names (relative, '/'-separated) of the files under <paramref name="folder"/>, skipping the sidecar tree.</summary>
    private void CollectFiles(string folder, string relative, List<string> names)
    {
        IEnumerable<FileSystemInfo> entries;
        try
        {
            entries = new DirectoryInfo(folder).EnumerateFileSystemInfos().ToList();
        }
        catch (DirectoryNotFoundException)
        {
            return; // pruned meanwhile, or never there
        }
        foreach (var entry in entries)
        {
            var name = relative + entry.Name;
            if (entry is DirectoryInfo)
            {
                if (relative.Length == 0 && entry.Name == BlobPaths.ReservedPrefix) continue;
                CollectFiles(entry.FullName, name + "/", names);
            }
            else
            {
                names.Add(name);
            }
        }
    }

    private static void CheckCondition(string path, FileBlobMetadata? meta, WriteCondition condition, bool isDelete)
    {
        // Azure answers a failed If-None-Match:* with 409 on a write and 412 on a delete.
        if (condition.IfNotExists && meta is not null)
            throw new BlobConditionFailedException(path, isDelete ? 412 : 409);
        if (condition.IfMatch is { } expected && (meta is null || (expected != "*" && !SameETag(expected, meta.ETag))))
            throw new BlobConditionFailedException(path, 412);
    }

    /// <summary>ETags compare as opaque strings; Azure's quotes are optional on the way in.</summary>
    private static bool SameETag(string a, string b) => string.Equals(a.Trim('"'), b.Trim('"'), StringComparison.Ordinal);

    private static BlobProperties ToProperties(FileBlobMetadata meta) => new(meta.ETag, meta.Length, meta.LastModified);

    private static long UtcNowTicks() => DateTime.UtcNow.Ticks;
}
