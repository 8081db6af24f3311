using System.Collections.Concurrent;
using MetaRl.Grains.Interfaces;
using MetaRl.Grains.Interfaces.State;
using Microsoft.Extensions.Logging;

namespace MetaRl.Grains.Placement;

/// <summary>
/// This silo's view of every silo's training capacity, asked of each silo's <see cref="ISiloGrain"/>
/// and kept at most a second or so; plus the runs this silo placed moments ago that those views do
/// not show yet, so that a burst of placements (a sweep starting its runs) spreads instead of
/// piling onto whichever silo looked emptiest.
/// </summary>
public sealed class ClusterCapacity(IClusterMembershipService membership, IGrainFactory grains, ILogger<ClusterCapacity> logger)
{
    private static readonly TimeSpan AskTimeout = TimeSpan.FromSeconds(3);
    private static readonly TimeSpan ReservationLifetime = TimeSpan.FromSeconds(15);
    private readonly ConcurrentDictionary<SiloAddress, (SiloView View, DateTime At)> _views = new();
    private readonly ConcurrentDictionary<SiloAddress, Task<SiloView?>> _asking = new();
    private readonly object _gate = new();
    private readonly Dictionary<SiloAddress, Dictionary<string, (int Cores, DateTime At)>> _reserved = new();

    /// <summary>The active silos of the cluster.</summary>
    public SiloAddress[] ActiveSilos => membership.CurrentSnapshot.Members.Values
        .Where(m => m.Status == SiloStatus.Active).Select(m => m.SiloAddress).ToArray();

    /// <summary>Views of <paramref name="silos"/> no older than <paramref name="maxAge"/>; silos that do not answer within seconds are left out.</summary>
    public async Task<List<(SiloAddress Silo, SiloView View)>> GetAsync(IEnumerable<SiloAddress> silos, TimeSpan maxAge)
    {
        var now = DateTime.UtcNow;
        var asks = silos.Distinct().Select(async silo =>
        {
            if (_views.TryGetValue(silo, out var cached) && now - cached.At <= maxAge) return (silo, cached.View);
            var view = await _asking.GetOrAdd(silo, AskAsync);
            return (silo, view);
        }).ToList();
        var answers = await Task.WhenAll(asks);
        return answers.Where(a => a.Item2 is not null).Select(a => (a.silo, a.Item2!)).ToList();
    }

    private async Task<SiloView?> AskAsync(SiloAddress silo)
    {
        try
        {
            var view = await grains.GetGrain<ISiloGrain>(silo.ToParsableString()).GetAsync().WaitAsync(AskTimeout);
            _views[silo] = (view, DateTime.UtcNow);
            Settle(silo, view);
            return view;
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            logger.LogDebug("Silo {Silo} did not describe itself: {Message}", silo, e.Message);
            _views.TryRemove(silo, out _);
            return null;
        }
        finally
        {
            _asking.TryRemove(silo, out _);
        }
    }

    /// <summary>
    /// The least loaded of <paramref name="candidates"/> (cores training, waiting and recently placed
    /// there, over its core budget; ties broken at random), with the run counted there from now on —
    /// one step under a lock, so that placements made at the same moment spread.
    /// </summary>
    public SiloAddress PickAndReserve(IReadOnlyList<(SiloAddress Silo, SiloView View)> candidates, string runId, int cores)
    {
        lock (_gate)
        {
            var load = candidates.Select(c => (c.Silo, Load: (c.View.CoresInUse + c.View.WaitingCores + Reserved(c.Silo)) / (double)Math.Max(1, c.View.CoreBudget))).ToList();
            double least = load.Min(l => l.Load);
            var best = load.Where(l => l.Load <= least + 1e-9).ToList();
            var pick = best[Random.Shared.Next(best.Count)].Silo;
            if (!_reserved.TryGetValue(pick, out var r)) _reserved[pick] = r = new();
            r[runId] = (cores, DateTime.UtcNow);
            return pick;
        }
    }

    /// <summary>
    /// A silo other than <paramref name="here"/> with room right now for a run of <paramref name="cores"/>
    /// cores (a GPU when it needs one, and at least <paramref name="memory"/> bytes), the roomiest, with the run counted there from now on; null
    /// when none has room. What a run waiting for room asks before it moves.
    /// </summary>
    public async Task<SiloAddress?> FindRoomElsewhereAsync(SiloAddress here, string runId, int cores, bool gpu, long memory)
    {
        var views = await GetAsync(ActiveSilos.Where(s => !s.Equals(here)), TimeSpan.FromSeconds(1));
        lock (_gate)
        {
            var room = views.Where(v => v.View.Trains && (!gpu || v.View.Gpus > 0) && v.View.MemoryBytes >= memory)
                .Select(v => (v.Silo, Free: v.View.CoreBudget - v.View.CoresInUse - v.View.WaitingCores - Reserved(v.Silo), Need: Math.Clamp(cores, 1, Math.Max(1, v.View.CoreBudget))))
                .Where(x => x.Free >= x.Need)
                .OrderByDescending(x => x.Free)
                .FirstOrDefault();
            if (room.Silo is null) return null;
            if (!_reserved.TryGetValue(room.Silo, out var r)) _reserved[room.Silo] = r = new();
            r[runId] = (room.Need, DateTime.UtcNow);
            return room.Silo;
        }
    }

    private int Reserved(SiloAddress silo) => _reserved.TryGetValue(silo, out var r) ? r.Values.Sum(x => x.Cores) : 0;

    private void Settle(SiloAddress silo, SiloView view)
    {
        lock (_gate)
        {
            if (!_reserved.TryGetValue(silo, out var r)) return;
            var now = DateTime.UtcNow;
            foreach (var (runId, entry) in r.ToList())
                if (view.Training.Contains(runId) || view.Waiting.Contains(runId) || now - entry.At > ReservationLifetime) r.Remove(runId);
        }
    }
}
