using MetaRl.Grains.Execution;
using MetaRl.Grains.Interfaces;
using MetaRl.Grains.Interfaces.State;
using MetaRl.Learning.Torch;
using MetaRl.Storage;

namespace MetaRl.Grains.Hosting;

/// <summary>
/// A silo's work loop: heartbeat with its capabilities, claim runnable runs it can serve (a run that
/// needs a GPU only on a GPU silo) while its core budget allows, execute them concurrently, and on
/// shutdown let each finish its iteration, checkpoint and release its lease.
/// </summary>
public sealed class SiloWorker
{
    private readonly IBlobStore _store;
    private readonly SiloOptions _options;
    private readonly Action<string> _log;
    private readonly Dictionary<string, (Task<RunOutcome> Task, int Cores)> _running = new();
    private readonly object _gate = new();
    private readonly DateTimeOffset _started = DateTimeOffset.UtcNow;

    public SiloWorker(IBlobStore store, SiloOptions options, Action<string> log)
    {
        var errors = options.Validate();
        if (errors.Count > 0) throw new ArgumentException(string.Join("; ", errors), nameof(options));
        _store = store;
        _options = options with { Executor = options.Executor with { SiloId = options.SiloId } };
        _log = log;
        CoreBudget = options.CoreBudget > 0 ? options.CoreBudget : Environment.ProcessorCount;
        Gpus = options.Gpus >= 0 ? options.Gpus : (TorchRuntime.CudaAvailable ? 1 : 0);
    }

    public string SiloId => _options.SiloId;
    public int CoreBudget { get; }
    public int Gpus { get; }

    /// <summary>How every execution ended (run id → outcomes, in order).</summary>
    public List<(string RunId, RunOutcome Outcome)> Outcomes { get; } = [];

    private int CoresInUse
    {
        get
        {
            lock (_gate) return _running.Values.Sum(r => r.Cores);
        }
    }

    /// <summary>Works until <paramref name="stop"/> (graceful: running runs checkpoint and let go) or, with ExitWhenIdle, until idle.</summary>
    public async Task RunAsync(CancellationToken stop)
    {
        await _store.EnsureCreatedAsync(stop).ConfigureAwait(false);
        _log($"silo {SiloId}: {CoreBudget} cores, {Gpus} GPU(s), storage {_store.Location}");
        int storageFailures = 0;
        using var shutdown = CancellationTokenSource.CreateLinkedTokenSource(stop);
        try
        {
            while (!stop.IsCancellationRequested)
            {
                Reap();
                try
                {
                    if (await PollAsync(shutdown.Token, stop).ConfigureAwait(false)) break;
                    storageFailures = 0;
                }
                catch (BlobStoreException e)
                {
                    // Storage is unreachable beyond the client's own retries. The silo outlives the outage:
                    // its runs stop on their own if their leases lapse, and it claims again once storage answers.
                    var backoff = StorageBackoff(++storageFailures);
                    _log($"silo {SiloId}: storage failed in the work loop ({e.Message}); retrying in {backoff.TotalSeconds:F1} s");
                    await WaitAsync(backoff, stop).ConfigureAwait(false);
                    continue;
                }
                await WaitAsync(_options.PollInterval, stop).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
        }
        finally
        {
            await DrainAsync().ConfigureAwait(false);
        }
    }

    private DateTimeOffset _nextBeat = DateTimeOffset.MinValue;
    private int _idlePolls;

    /// <summary>One round of the work loop: heartbeat when due, claim what fits. True when an ExitWhenIdle silo is done.</summary>
    private async Task<bool> PollAsync(CancellationToken shutdown, CancellationToken stop)
    {
        if (DateTimeOffset.UtcNow >= _nextBeat)
        {
            await BeatAsync(stopping: false, stop).ConfigureAwait(false);
            _nextBeat = DateTimeOffset.UtcNow + _options.HeartbeatInterval;
        }
        int claimed = await ClaimAsync(shutdown, stop).ConfigureAwait(false);
        bool busy;
        lock (_gate) busy = _running.Count > 0;
        if (!_options.ExitWhenIdle || busy || claimed > 0)
        {
            _idlePolls = 0;
            return false;
        }
        return ++_idlePolls >= 2 && !await AnyRunnableAsync(stop).ConfigureAwait(false);
    }

    private async Task DrainAsync()
    {
        Task<RunOutcome>[] tasks;
        lock (_gate) tasks = _running.Values.Select(r => r.Task).ToArray();
        if (tasks.Length > 0) _log($"silo {SiloId}: stopping; {tasks.Length} run(s) finish their iteration and checkpoint");
        try
        {
            await Task.WhenAll(tasks).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            _log($"silo {SiloId}: a run ended with {e.GetType().Name}: {e.Message}");
        }
        Reap();
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            await BeatAsync(stopping: true, timeout.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is BlobStoreException or OperationCanceledException)
        {
        }
    }

    private async Task<int> ClaimAsync(CancellationToken shutdown, CancellationToken stop)
    {
        int free = CoreBudget - CoresInUse;
        if (free <= 0) return 0;
        var candidates = new List<string>();
        foreach (var gpu in Gpus > 0 ? new[] { true, false } : [false])
        {
            var prefix = StoragePaths.RunnablePrefix(gpu);
            await foreach (var item in _store.ListAsync(prefix, stop).ConfigureAwait(false)) candidates.Add(item.Path[prefix.Length..]);
        }
        // Silos racing for the same runs start at different places of the list.
        var order = candidates.Distinct().OrderBy(_ => Random.Shared.Next()).ToList();
        int claimed = 0;
        foreach (var runId in order)
        {
            lock (_gate)
                if (_running.ContainsKey(runId)) continue;
            if (CoreBudget - CoresInUse <= 0) break;
            var executor = await RunExecutor.TryClaimAsync(_store, runId, _options.Executor, _log, stop).ConfigureAwait(false);
            if (executor is null) continue;
            int cores = Math.Clamp(executor.Cores, 1, CoreBudget);
            if (cores > CoreBudget - CoresInUse)
            {
                await executor.ReleaseAsync().ConfigureAwait(false); // not enough room now
                continue;
            }
            lock (_gate) _running[runId] = (Task.Run(() => executor.ExecuteAsync(shutdown)), cores);
            claimed++;
            _log($"silo {SiloId}: claimed {runId} ({cores} core(s))");
        }
        return claimed;
    }

    /// <summary>The poll interval doubled per consecutive storage failure, at most 30 s.</summary>
    private TimeSpan StorageBackoff(int failures) =>
        TimeSpan.FromSeconds(Math.Min(30, _options.PollInterval.TotalSeconds * Math.Pow(2, Math.Min(failures, 16))));

    private async Task<bool> AnyRunnableAsync(CancellationToken ct)
    {
        foreach (var gpu in Gpus > 0 ? new[] { true, false } : [false])
            await foreach (var _ in _store.ListAsync(StoragePaths.RunnablePrefix(gpu), ct).ConfigureAwait(false)) return true;
        return false;
    }

    private void Reap()
    {
        lock (_gate)
        {
            foreach (var (runId, entry) in _running.Where(r => r.Value.Task.IsCompleted).ToList())
            {
                var outcome = entry.Task.IsCompletedSuccessfully ? entry.Task.Result : RunOutcome.Failed;
                if (!entry.Task.IsCompletedSuccessfully) _log($"silo {SiloId}: run {runId} crashed: {entry.Task.Exception?.GetBaseException().Message}");
                Outcomes.Add((runId, outcome));
                _running.Remove(runId);
            }
        }
    }

    private async Task WaitAsync(TimeSpan delay, CancellationToken stop)
    {
        Task[] running;
        lock (_gate) running = _running.Values.Select(r => (Task)r.Task).ToArray();
        var sleep = Task.Delay(delay, stop);
        await Task.WhenAny(running.Append(sleep)).ConfigureAwait(false);
        stop.ThrowIfCancellationRequested();
    }

    private async Task BeatAsync(bool stopping, CancellationToken ct)
    {
        List<string> runs;
        lock (_gate) runs = _running.Keys.ToList();
        var beat = new SiloHeartbeat
        {
            SiloId = SiloId,
            Host = Environment.MachineName,
            ProcessId = Environment.ProcessId,
            Cores = Environment.ProcessorCount,
            Gpus = Gpus,
            MemoryBytes = GC.GetGCMemoryInfo().TotalAvailableMemoryBytes,
            CoreBudget = CoreBudget,
            CoresInUse = CoresInUse,
            Runs = runs,
            Started = _started,
            LastBeat = DateTimeOffset.UtcNow,
            Stopping = stopping,
        };
        await _store.WriteAsync(StoragePaths.Silo(SiloId), beat, WriteCondition.None, null, ct).ConfigureAwait(false);
    }
}
