using MetaRl.Grains.Interfaces;
using Microsoft.Extensions.Logging;

namespace MetaRl.Grains.Failover;

/// <summary>
/// Failover's fast path. When membership declares a silo dead (killed, or shut down), one surviving
/// silo — the active one with the lowest address — asks the sweep catalog to wake every unfinished
/// sweep, which wakes its runs: a run that lived on the dead silo is activated on a survivor and
/// resumes from its last committed checkpoint. Waking again after a few seconds catches calls that
/// still went to the dead silo's directory entries. The sweeps' reminders are the durable backstop.
/// </summary>
public sealed class FailoverWatcher(
    IClusterMembershipService membership,
    ILocalSiloDetails local,
    IGrainFactory grains,
    ILogger<FailoverWatcher> logger) : ILifecycleParticipant<ISiloLifecycle>
{
    private static readonly TimeSpan[] WakeTimes = [TimeSpan.Zero, TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(5)];
    private readonly CancellationTokenSource _stop = new();
    private Task _loop = Task.CompletedTask;

    public void Participate(ISiloLifecycle lifecycle) => lifecycle.Subscribe(nameof(FailoverWatcher), ServiceLifecycleStage.Active, StartAsync, StopAsync);

    private Task StartAsync(CancellationToken cancellationToken)
    {
        _loop = Task.Run(WatchAsync, CancellationToken.None);
        return Task.CompletedTask;
    }

    private async Task StopAsync(CancellationToken cancellationToken)
    {
        await _stop.CancelAsync();
        await _loop.WaitAsync(cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
    }

    private async Task WatchAsync()
    {
        var known = membership.CurrentSnapshot.Members.ToDictionary(m => m.Key, m => m.Value.Status);
        try
        {
            await foreach (var snapshot in membership.MembershipUpdates.WithCancellation(_stop.Token))
            {
                var died = snapshot.Members.Values
                    .Where(m => m.Status == SiloStatus.Dead && (!known.TryGetValue(m.SiloAddress, out var was) || was != SiloStatus.Dead))
                    .Select(m => m.SiloAddress).ToList();
                known = snapshot.Members.ToDictionary(m => m.Key, m => m.Value.Status);
                if (died.Count == 0) continue;
                var leader = snapshot.Members.Values.Where(m => m.Status == SiloStatus.Active).Select(m => m.SiloAddress).OrderBy(a => a).FirstOrDefault();
                if (!Equals(leader, local.SiloAddress)) continue;
                logger.LogWarning("Silo(s) {Silos} left the cluster; waking unfinished sweeps so that their runs resume elsewhere", string.Join(", ", died));
                _ = WakeAsync();
            }
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
        }
    }

    private async Task WakeAsync()
    {
        foreach (var at in WakeTimes)
        {
            try
            {
                await Task.Delay(at, _stop.Token);
                int sweeps = await grains.GetGrain<ISweepCatalogGrain>(ISweepCatalogGrain.Key).WakeAllAsync(_stop.Token);
                logger.LogInformation("Woke {Count} unfinished sweep(s)", sweeps);
            }
            catch (OperationCanceledException) when (_stop.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                logger.LogWarning("Waking sweeps after a silo died failed ({Message}); trying again", e.Message);
            }
        }
    }
}
