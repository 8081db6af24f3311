using System.Diagnostics;

namespace MetaRl.Testing;

/// <summary>POSIX signals to a child process (kill(1): .NET only sends SIGKILL itself).</summary>
public static class Signals
{
    public static void Send(Process process, string signal)
    {
        if (process.HasExited) return;
        using var kill = Process.Start("kill", [$"-{signal}", process.Id.ToString()]);
        kill.WaitForExit();
    }
}
