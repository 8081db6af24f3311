using MetaRl.Grains.Interfaces;
using MetaRl.Testing;

namespace MetaRl.Integration.Tests;

/// <summary>
/// Waits that follow the runs' progress rather than a wall-clock budget: a condition is polled for as
/// long as the runs keep moving — iterations, or tasks of a validation or test (a slow, loaded machine
/// simply waits longer) — and the wait fails only when no run moved for <see cref="Stall"/>, or at the
/// test's own timeout.
/// </summary>
public static class Progress
{
    /// <summary>How long no run may move before a wait gives up (a silo's death and the run's resumption fit well inside).</summary>
    public static readonly TimeSpan Stall = TimeSpan.FromMinutes(3);

    public static async Task<T> UntilAsync<T>(SiloCluster cluster, IReadOnlyList<string> runs, string what, Func<Task<T?>> condition) where T : class
    {
        string last = await WhereAsync(cluster, runs);
        var moved = DateTime.UtcNow;
        while (true)
        {
            if (await condition() is { } result) return result;
            string now = await WhereAsync(cluster, runs);
            if (now != last)
            {
                last = now;
                moved = DateTime.UtcNow;
            }
            else if (DateTime.UtcNow - moved > Stall)
                throw new AssertFailedException($"waited for {what}; no run moved for {Stall.TotalMinutes:F0} minutes\n"
                    + string.Join("\n---\n", cluster.Silos.Select(s => $"{s.SiloName}{(s.HasExited ? " (exited)" : "")}:\n{s.Tail(20)}")));
            await Task.Delay(200);
        }
    }

    /// <summary>Where the runs are: each one's iteration (live where it answers, else committed), status and phase.</summary>
    public static async Task<string> WhereAsync(SiloCluster cluster, IReadOnlyList<string> runs)
    {
        var parts = new List<string>();
        foreach (var run in runs)
            if (await SiloCluster.TryAsync(() => cluster.Grains.GetGrain<IMetaPolicyGrain>(run).GetAsync()) is { } v)
                parts.Add($"{Math.Max(v.State.Iteration, v.Live.Iteration)} {v.State.Status} {v.Live.Phase}");
        return string.Join("; ", parts);
    }
}
