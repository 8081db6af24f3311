namespace MetaRl.Testing;

/// <summary>
/// Busy threads that compete with the silos for the machine's cores while a test runs, so that what
/// the test proves (exactness after a kill, above all) is proved on a loaded machine, where an
/// iteration, a checkpoint and a silo's death line up differently every time.
/// </summary>
public sealed class CpuContention : IDisposable
{
    private volatile bool _stop;
    private readonly List<Thread> _threads = [];

    public CpuContention(int threads = 1)
    {
        for (int i = 0; i < threads; i++)
        {
            var thread = new Thread(Spin) { IsBackground = true, Name = $"cpu contention {i}" };
            thread.Start();
            _threads.Add(thread);
        }
    }

    private void Spin()
    {
        ulong x = 0x9E3779B97F4A7C15;
        while (!_stop)
        {
            // Work without allocation or sleeping: a core's worth of demand.
            for (int i = 0; i < 100_000; i++) x ^= x << 13 ^ x >> 7 ^ x << 17;
        }
        GC.KeepAlive(x);
    }

    public void Dispose()
    {
        _stop = true;
        foreach (var t in _threads) t.Join();
    }
}
