using System.Runtime.InteropServices;

namespace MetaRl.Learning.Common;

/// <summary>
/// CPU time the calling thread has used (Linux clock_gettime(CLOCK_THREAD_CPUTIME_ID)), in ticks of
/// 100 ns. For accounting only (benchmarks: what a phase would take on cores of its own, whatever
/// else the machine runs); never part of a result. 0 where the clock is not available.
/// </summary>
public static unsafe partial class ThreadClock
{
    private const int ThreadCpuTimeId = 3;

    public static long CpuTicks()
    {
        long* t = stackalloc long[2];
        try
        {
            if (clock_gettime(ThreadCpuTimeId, t) != 0) return 0;
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            return 0;
        }
        return t[0] * 10_000_000 + t[1] / 100;
    }

    public static double Seconds(long ticks) => ticks / 1e7;

    [LibraryImport("libc", EntryPoint = "clock_gettime")]
    private static partial int clock_gettime(int clock, long* timespec);
}
