using MetaRl.Grains.Interfaces;
using MetaRl.Grains.Interfaces.State;

namespace MetaRl.Client.Cluster;

/// <summary>One active member of the cluster (as membership lists it) and what it said about itself, or why it did not answer.</summary>
public sealed record SiloAnswer(string Name, string Address, SiloView? View, string? Problem);

/// <summary>
/// Every active silo asked for its own view, all at once. Membership lists a silo that has just died as
/// active for a few seconds (and one that is joining before every silo knows it): such a silo is
/// retried briefly, then reported as unreachable instead of failing the whole answer.
/// </summary>
public static class SiloAnswers
{
    private static readonly TimeSpan PerSilo = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan PerAttempt = TimeSpan.FromSeconds(4);

    /// <param name="which">Only the silos it accepts (name, address); null: all.</param>
    public static async Task<List<SiloAnswer>> AskAsync(IGrainFactory grains, CancellationToken ct, Func<string, string, bool>? which = null)
    {
        var hosts = await Transient.RetryAsync(() => grains.GetGrain<IManagementGrain>(0).GetDetailedHosts(onlyActive: true), ct);
        var asked = hosts.Where(h => which?.Invoke(h.SiloName, h.SiloAddress.ToParsableString()) ?? true).Select(async h =>
        {
            var address = h.SiloAddress.ToParsableString();
            try
            {
                var view = await Transient.RetryAsync(() => grains.GetGrain<ISiloGrain>(address).GetAsync(ct), ct, limit: PerSilo, attemptLimit: PerAttempt);
                return new SiloAnswer(view.Name, address, view, null);
            }
            catch (Exception e) when (Transient.IsTransient(e) && !ct.IsCancellationRequested)
            {
                return new SiloAnswer(h.SiloName, address, null, $"did not answer within {PerSilo.TotalSeconds:F0} s ({e.GetType().Name}; it may have just died or be joining)");
            }
        });
        return [.. (await Task.WhenAll(asked)).OrderBy(a => a.Name, StringComparer.Ordinal)];
    }
}
