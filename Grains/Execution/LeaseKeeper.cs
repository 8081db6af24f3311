using MetaRl.Grains.Telemetry;
using MetaRl.Storage;

namespace MetaRl.Grains.Execution;

/// <summary>
/// Keeps a grain's lease alive (renewing every <c>renewEvery</c>, ~a third of its duration) and
/// signals <see cref="Lost"/> the moment it cannot: another silo took it over, or renewals failed
/// for longer than the lease lasts. Whoever holds the grain stops at once on that signal; its writes
/// would be refused anyway.
/// </summary>
public sealed class LeaseKeeper : IAsyncDisposable
{
    private readonly IBlobStore _store;
    private readonly string _path;
    private readonly TimeSpan _duration;
    private readonly TimeSpan _renewEvery;
    private readonly Action<string>? _log;
    private readonly CancellationTokenSource _lost = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;

    public LeaseKeeper(IBlobStore store, string path, string leaseId, TimeSpan duration, TimeSpan renewEvery, Action<string>? log)
    {
        _store = store;
        _path = path;
        LeaseId = leaseId;
        _duration = duration;
        _renewEvery = renewEvery;
        _log = log;
        _loop = Task.Run(LoopAsync);
    }

    public string LeaseId { get; }

    /// <summary>Cancelled when the lease is (or may be) lost.</summary>
    public CancellationToken Lost => _lost.Token;

    public bool IsLost => _lost.IsCancellationRequested;

    private async Task LoopAsync()
    {
        var lastRenewal = DateTimeOffset.UtcNow;
        while (!_stop.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(_renewEvery, _stop.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            try
            {
                await _store.RenewLeaseAsync(_path, LeaseId, _stop.Token).ConfigureAwait(false);
                lastRenewal = DateTimeOffset.UtcNow;
                MetaRlTelemetry.LeasesRenewed.Add(1);
            }
            catch (OperationCanceledException) when (_stop.IsCancellationRequested)
            {
                return;
            }
            catch (BlobLeaseException e)
            {
                Lose($"lease on {_path} lost: {e.Message}");
                return;
            }
            catch (BlobStoreException e)
            {
                // The service did not answer: keep trying while the lease may still be ours.
                if (DateTimeOffset.UtcNow - lastRenewal > _duration - _renewEvery)
                {
                    Lose($"lease on {_path} could not be renewed for {(DateTimeOffset.UtcNow - lastRenewal).TotalSeconds:F0} s: {e.Message}");
                    return;
                }
                _log?.Invoke($"lease renewal on {_path} failed, retrying: {e.Message}");
            }
        }
    }

    private void Lose(string why)
    {
        MetaRlTelemetry.LeasesLost.Add(1);
        _log?.Invoke(why);
        _lost.Cancel();
    }

    private int _disposed;

    /// <summary>Stops renewing and releases the lease (best effort: it expires anyway). A second call does nothing.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1) return;
        _stop.Cancel();
        try
        {
            await _loop.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }
        if (!IsLost)
        {
            try
            {
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
                await _store.ReleaseLeaseAsync(_path, LeaseId, timeout.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is BlobStoreException or OperationCanceledException)
            {
                _log?.Invoke($"lease on {_path} not released ({e.Message}); it will expire");
            }
        }
        _lost.Dispose();
        _stop.Dispose();
    }
}
