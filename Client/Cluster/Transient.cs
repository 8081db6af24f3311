namespace MetaRl.Client.Cluster;

/// <summary>
/// Grain calls from the console, retried while the cluster heals: when a silo has just died, a call
/// can land on it (or on its part of the grain directory) until membership declares it dead, a few
/// seconds later. Every console call is a read or an idempotent request, so trying again is safe.
/// </summary>
public static class Transient
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(45);

    public static async Task<T> RetryAsync<T>(Func<Task<T>> call, CancellationToken ct)
    {
        var deadline = DateTime.UtcNow + Limit;
        for (int attempt = 0; ; attempt++)
        {
            try
            {
                return await call();
            }
            catch (Exception e) when (IsTransient(e) && DateTime.UtcNow < deadline && !ct.IsCancellationRequested)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(Math.Min(2000, 250 * (1 << Math.Min(attempt, 3)))), ct);
            }
        }
    }

    public static bool IsTransient(Exception e) => e is OrleansMessageRejectionException or SiloUnavailableException or TimeoutException
        || e is OrleansException && e.InnerException is { } inner && IsTransient(inner)
        || e.GetType().Name is "ConnectionFailedException" or "SocketConnectionException";
}
