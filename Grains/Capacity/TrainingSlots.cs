using MetaRl.Grains.Hosting;
using Microsoft.Extensions.Options;

namespace MetaRl.Grains.Capacity;

/// <summary>
/// This silo's admission control: runs train only while their cores fit the silo's core budget (and
/// their GPU one of its GPUs); the others wait, first come first served — except that a run that has
/// trained before (displaced by a silo's death, released, paused and resumed) waits ahead of every run
/// that never started, so failover does not hand a dead silo's cores to queued work first. Placement
/// spreads runs over the silos; this is what makes "never more runs at once than the budget" hold on
/// each of them.
/// </summary>
public sealed class TrainingSlots
{
    private readonly object _gate = new();
    private readonly LinkedList<Waiter> _waiting = new();
    private readonly Dictionary<string, Grant> _training = new();
    private int _coresInUse;
    private int _gpusInUse;

    public TrainingSlots(IOptions<TrainingOptions> options)
    {
        CoreBudget = options.Value.EffectiveCoreBudget;
        // A silo that only answers queries never asks libtorch about CUDA (loading libtorch costs a query seconds).
        Gpus = options.Value.Enabled ? options.Value.EffectiveGpus : 0;
        Enabled = options.Value.Enabled;
        MemoryBytes = options.Value.EffectiveMemoryBytes;
    }

    /// <summary>Memory this silo offers its runs (a run whose memory floor is larger is placed elsewhere).</summary>
    public long MemoryBytes { get; }

    public int CoreBudget { get; }
    public int Gpus { get; }

    /// <summary>False on a silo that only answers queries (the console's read-only embedded silo).</summary>
    public bool Enabled { get; }

    public int PeakCoresInUse { get; private set; }

    /// <summary>The cores a run of <paramref name="requested"/> cores gets here (a run never waits for more cores than the silo has).</summary>
    public int CoresFor(int requested) => Math.Clamp(requested, 1, Math.Max(1, CoreBudget));

    /// <summary>
    /// Waits until the run fits, then holds its cores (and GPU) until the returned slot is disposed.
    /// A slot granted just as the wait is cancelled is still returned: the caller disposes it.
    /// </summary>
    /// <param name="resuming">The run has trained before: it queues behind other resuming runs but ahead of runs that never started.</param>
    public async Task<IDisposable> AcquireAsync(string runId, int cores, bool gpu, CancellationToken cancellationToken, bool resuming = false)
    {
        if (!Enabled) throw new InvalidOperationException("this silo does not train runs");
        if (gpu && Gpus == 0) throw new InvalidOperationException($"run {runId} needs a GPU and this silo has none");
        var waiter = new Waiter(runId, CoresFor(cores), gpu, resuming);
        lock (_gate)
        {
            if (_training.ContainsKey(runId) || _waiting.Any(w => w.RunId == runId))
                throw new InvalidOperationException($"run {runId} already holds or waits for a slot here");
            var firstNew = resuming ? FirstNeverStarted() : null;
            waiter.Node = firstNew is null ? _waiting.AddLast(waiter) : _waiting.AddBefore(firstNew, waiter);
            GrantWhatFits();
        }
        using var registration = cancellationToken.Register(() =>
        {
            lock (_gate)
            {
                if (waiter.Node is null) return; // granted meanwhile
                _waiting.Remove(waiter.Node);
                waiter.Node = null;
            }
            waiter.Granted.TrySetCanceled(cancellationToken);
        });
        return await waiter.Granted.Task.ConfigureAwait(false);
    }

    /// <summary>Runs training here and runs waiting for room, cores in use.</summary>
    public (List<string> Training, List<string> Waiting, int WaitingCores, int CoresInUse, int PeakCoresInUse) Snapshot()
    {
        lock (_gate) return (_training.Keys.Order().ToList(), _waiting.Select(w => w.RunId).ToList(), _waiting.Sum(w => w.Cores), _coresInUse, PeakCoresInUse);
    }

    private LinkedListNode<Waiter>? FirstNeverStarted()
    {
        for (var node = _waiting.First; node is not null; node = node.Next)
            if (!node.Value.Resuming) return node;
        return null;
    }

    private void GrantWhatFits()
    {
        // First come first served on cores: nobody overtakes a run that waits for cores. A run that waits
        // only for a GPU lets the runs behind it that fit take cores meanwhile.
        for (var node = _waiting.First; node is not null;)
        {
            var w = node.Value;
            var next = node.Next;
            bool coresFit = _coresInUse + w.Cores <= CoreBudget;
            if (!coresFit) break;
            if (!w.Gpu || _gpusInUse < Gpus)
            {
                _waiting.Remove(node);
                w.Node = null;
                _coresInUse += w.Cores;
                if (w.Gpu) _gpusInUse++;
                PeakCoresInUse = Math.Max(PeakCoresInUse, _coresInUse);
                var grant = new Grant(this, w);
                _training[w.RunId] = grant;
                w.Granted.TrySetResult(grant);
            }
            node = next;
        }
    }

    private void Release(Grant grant)
    {
        lock (_gate)
        {
            if (!_training.Remove(grant.Waiter.RunId)) return;
            _coresInUse -= grant.Waiter.Cores;
            if (grant.Waiter.Gpu) _gpusInUse--;
            GrantWhatFits();
        }
    }

    private sealed class Waiter
    {
        public Waiter(string runId, int cores, bool gpu, bool resuming)
        {
            RunId = runId;
            Cores = cores;
            Gpu = gpu;
            Resuming = resuming;
        }

        public bool Resuming { get; }

        public string RunId { get; }
        public int Cores { get; }
        public bool Gpu { get; }
        public LinkedListNode<Waiter>? Node { get; set; }
        public TaskCompletionSource<IDisposable> Granted { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    private sealed class Grant(TrainingSlots owner, Waiter waiter) : IDisposable
    {
        public Waiter Waiter { get; } = waiter;
        private int _disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0) owner.Release(this);
        }
    }
}
