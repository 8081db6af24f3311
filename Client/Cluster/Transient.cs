using System.Diagnostics;
using MetaRl.Grains.Interfaces;
using Polly;
using Polly.Retry;

namespace MetaRl.Client.Cluster;

/// <summary>
/// Grain calls from the console, retried while the cluster heals: when a silo has just died, a call
/// can land on it (or on its part of the grain directory, or on a grain bound to it) until membership
/// declares it dead, seconds later. Every console call is a read or an idempotent request, so trying
/// again is safe. A Polly retry pipeline: exponential backoff with jitter (0.25 s doubling to 2 s),
/// for at most <see cref="Limit"/> in all.
/// </summary>
public static class Transient
{
    /// <summary>How long a call keeps being retried (membership declares a dead silo dead well within it).</summary>
    public static readonly TimeSpan Limit = TimeSpan.FromSeconds(45);

    /// <param name="giveUp">Stop retrying when it says so (e.g. the silo answering let go of the folder).</param>
    /// <param name="limit">At most this long in all (default <see cref="Limit"/>).</param>
    /// <param name="attemptLimit">Give each attempt at most this long (a call to a silo that just died gets no answer until Orleans' response timeout); null: as long as Orleans allows.</param>
    public static async Task<T> RetryAsync<T>(Func<Task<T>> call, CancellationToken ct, Func<bool>? giveUp = null, TimeSpan? limit = null, TimeSpan? attemptLimit = null)
    {
        var elapsed = Stopwatch.StartNew();
        var budget = limit ?? Limit;
        var pipeline = new ResiliencePipelineBuilder()
            .AddRetry(new RetryStrategyOptions
            {
                ShouldHandle = new PredicateBuilder().Handle<Exception>(e => IsTransient(e) && elapsed.Elapsed < budget && !(giveUp?.Invoke() ?? false)),
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = TimeSpan.FromMilliseconds(250),
                MaxDelay = TimeSpan.FromSeconds(2),
                MaxRetryAttempts = int.MaxValue,
            })
            .Build();
        return await pipeline.ExecuteAsync(async token => attemptLimit is { } each ? await call().WaitAsync(each, token) : await call().WaitAsync(token), ct);
    }

    /// <summary>
    /// A failure of the cluster rather than of the request: the silo (or gateway) called is dead or
    /// leaving, the message was rejected or timed out, or a grain bound to a silo was called on one that
    /// is no longer a member.
    /// </summary>
    public static bool IsTransient(Exception e) => e is OrleansMessageRejectionException or SiloUnavailableException or TimeoutException or SiloNotActiveException
        || e is OrleansException && e.InnerException is { } inner && IsTransient(inner)
        || e.GetType().Name is "ConnectionFailedException" or "SocketConnectionException" or "GatewayTooBusyException" or "ClientNotAvailableException";
}
