using Orleans;
using Orleans.Runtime;
using Orleans.Serialization.Serializers;
using Orleans.Storage;

namespace MetaRl.Storage;

/// <summary>
/// Orleans grain storage over any <see cref="IBlobStore"/>: one blob per grain state, at
/// <see cref="GrainStatePaths.Of"/>, holding the state as the silo's
/// <see cref="IGrainStorageSerializer"/> writes it. The embedded mode runs it on a
/// <see cref="FileBlobStore"/>. (Orleans.Runtime 10.4 has a FileGrainStorage of its own; this one
/// is used instead because it keeps one blob layout and one set of ETag rules on the local folder
/// and on Azure, stores plain serializer output that can be read by hand, and rides on the local
/// store's cross-process locking, which the contract tests already hold to Azure's semantics.)
/// ETags follow Orleans' own providers: a write with no ETag only creates, a write with one only
/// replaces that version, a clear deletes under the same rule, and a condition that does not hold
/// is an <see cref="InconsistentStateException"/>. Those conditions are what keeps two activations
/// of one grain (possible for a moment after a silo dies) from overwriting each other; the store's
/// own atomic conditional writes make them hold across processes.
/// </summary>
public sealed class BlobGrainStorage : IGrainStorage
{
    private readonly IBlobStore _store;
    private readonly IGrainStorageSerializer _serializer;
    private readonly IActivatorProvider _activators;

    /// <param name="store">Where the state blobs live; its container is created on the first write that needs it.</param>
    /// <param name="serializer">The silo's grain storage serializer (the hosts configure System.Text.Json).</param>
    /// <param name="activators">Makes the fresh state a missing or cleared record reads as, the way Orleans' providers do.</param>
    public BlobGrainStorage(IBlobStore store, IGrainStorageSerializer serializer, IActivatorProvider activators)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(serializer);
        ArgumentNullException.ThrowIfNull(activators);
        _store = store;
        _serializer = serializer;
        _activators = activators;
    }

    public Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        ReadStateAsync(stateName, grainId, grainState, CancellationToken.None);

    /// <exception cref="InvalidDataException">The blob exists but the serializer cannot read it as a <typeparamref name="T"/>; the message names the blob.</exception>
    public async Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(grainState);
        var path = GrainStatePaths.Of(stateName, grainId);
        var blob = await _store.ReadAsync(path, cancellationToken).ConfigureAwait(false);
        if (blob is null)
        {
            Reset(grainState);
            return;
        }
        // An empty blob is a record without state, as in Orleans' Azure blob provider (which writes
        // one on clear): it has an ETag that a later write must match.
        var state = blob.Content.Length == 0 ? default : Deserialize<T>(path, blob.Content);
        grainState.State = state ?? NewState<T>();
        grainState.ETag = blob.ETag;
        grainState.RecordExists = state is not null;
    }

    public Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        WriteStateAsync(stateName, grainId, grainState, CancellationToken.None);

    /// <exception cref="InconsistentStateException">The stored version is not the one <see cref="IGrainState{T}.ETag"/> names (or a record exists where none was expected).</exception>
    public async Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(grainState);
        var path = GrainStatePaths.Of(stateName, grainId);
        var content = _serializer.Serialize(grainState.State).ToMemory();
        var expected = grainState.ETag;
        try
        {
            grainState.ETag = await WriteCreatingContainerAsync(path, content, Condition(expected), cancellationToken).ConfigureAwait(false);
            grainState.RecordExists = true;
        }
        catch (BlobConditionFailedException e)
        {
            throw await InconsistentAsync(path, "write", expected, e, cancellationToken).ConfigureAwait(false);
        }
    }

    public Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        ClearStateAsync(stateName, grainId, grainState, CancellationToken.None);

    /// <summary>Deletes the blob under the same ETag rule as writes; a blob that is already gone is not an error.</summary>
    /// <exception cref="InconsistentStateException">The stored version is not the one <see cref="IGrainState{T}.ETag"/> names (or a record exists where none was expected).</exception>
    public async Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(grainState);
        var path = GrainStatePaths.Of(stateName, grainId);
        var expected = grainState.ETag;
        try
        {
            await _store.DeleteAsync(path, Condition(expected), cancellationToken).ConfigureAwait(false);
        }
        catch (BlobConditionFailedException e)
        {
            throw await InconsistentAsync(path, "clear", expected, e, cancellationToken).ConfigureAwait(false);
        }
        Reset(grainState);
    }

    /// <summary>No ETag means "I saw no record": only create. Orleans' providers treat "" the same.</summary>
    private static WriteCondition Condition(string? etag) =>
        string.IsNullOrEmpty(etag) ? WriteCondition.NotExists : WriteCondition.Match(etag);

    private async Task<string> WriteCreatingContainerAsync(string path, ReadOnlyMemory<byte> content, WriteCondition condition, CancellationToken cancellationToken)
    {
        try
        {
            return await _store.WriteAsync(path, content, condition, cancellationToken).ConfigureAwait(false);
        }
        catch (BlobStoreException e) when (e.Status == 404 && e is not BlobNotFoundException)
        {
            // Only the container can be missing for a write; a new silo makes it on first use.
            await _store.EnsureCreatedAsync(cancellationToken).ConfigureAwait(false);
            return await _store.WriteAsync(path, content, condition, cancellationToken).ConfigureAwait(false);
        }
    }

    private T? Deserialize<T>(string path, byte[] content)
    {
        try
        {
            return _serializer.Deserialize<T>(new BinaryData(content));
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // The serializer's own message names neither the blob nor the grain; the silo turns this
            // into the activation's failure, so it has to say where to look.
            throw new InvalidDataException(
                $"grain state blob '{path}' in {_store.Location} is not a readable {typeof(T)} ({content.Length} bytes): {e.Message}", e);
        }
    }

    /// <summary>The exception Orleans expects for a lost optimistic-concurrency race, with the stored ETag when it can be had.</summary>
    private async Task<InconsistentStateException> InconsistentAsync(string path, string operation, string? expected, BlobConditionFailedException cause, CancellationToken cancellationToken)
    {
        string stored;
        string? storedETag = null;
        try
        {
            storedETag = (await _store.GetPropertiesAsync(path, cancellationToken).ConfigureAwait(false))?.ETag;
            stored = storedETag is null ? "no record" : $"ETag {storedETag}";
        }
        catch (BlobStoreException)
        {
            stored = "an unknown version";
        }
        var wanted = string.IsNullOrEmpty(expected) ? "no record (create only)" : $"ETag {expected}";
        return new InconsistentStateException(
            $"grain state blob '{path}' in {_store.Location}: the {operation} expected {wanted} but storage holds {stored}",
            storedETag, expected, cause);
    }

    private void Reset<T>(IGrainState<T> grainState)
    {
        grainState.State = NewState<T>();
        grainState.ETag = null;
        grainState.RecordExists = false;
    }

    private T NewState<T>() => _activators.GetActivator<T>().Create();
}
