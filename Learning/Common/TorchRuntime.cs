using System.Runtime.InteropServices;
using System.Text;
using TorchSharp;
using static TorchSharp.torch;

namespace MetaRl.Learning.Common;

/// <summary>
/// The libtorch this process runs on (through TorchSharp), and the one setting the project makes:
/// one intra-op thread. libtorch's own parallel loops split work by thread count, and a sum split
/// differently rounds differently; with one thread a run's numbers do not depend on the machine,
/// so a run resumed on another silo continues exactly. Parallelism comes from batching the tasks
/// of a meta-batch into single tensor operations and from the silo running several runs at once.
/// </summary>
public static class TorchRuntime
{
    private static readonly Lazy<bool> Initialized = new(() =>
    {
        set_num_threads(1);
        return true;
    });

    /// <summary>Loads libtorch (first use) and applies the project's settings; idempotent.</summary>
    public static void Initialize() => _ = Initialized.Value;

    public static string Version
    {
        get
        {
            Initialize();
            return __version__;
        }
    }

    /// <summary>Intra-op threads libtorch uses.</summary>
    public static int Threads
    {
        get
        {
            Initialize();
            return get_num_threads();
        }
    }

    public static bool CudaAvailable
    {
        get
        {
            Initialize();
            return cuda.is_available();
        }
    }

    /// <summary>The loaded native libraries whose file names contain <paramref name="fragment"/> (from /proc/self/maps).</summary>
    public static IReadOnlyList<string> LoadedLibraries(string fragment)
    {
        Initialize();
        try
        {
            return File.ReadLines("/proc/self/maps")
                .Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries).LastOrDefault() ?? "")
                .Where(p => p.StartsWith('/') && Path.GetFileName(p).Contains(fragment, StringComparison.Ordinal))
                .Distinct().ToList();
        }
        catch (IOException)
        {
            return [];
        }
    }

    /// <summary>True when this process loaded TorchSharp's bridge with the Debian 12 fix (infra/torchsharp-fix.sh).</summary>
    public static bool DebianFixInUse => LoadedLibraries("libmetarl_iosinit").Count > 0;

    /// <summary>
    /// Where matrix products go: the oneMKL that libtorch's official CPU build links in (its version,
    /// asked from libtorch_cpu itself), or the BLAS libraries loaded beside libtorch.
    /// </summary>
    public static string Blas()
    {
        Initialize();
        using (var scope = NewDisposeScope())
            _ = ones(64, 64).mm(ones(64, 64)).sum().item<float>();
        var mkl = MklVersion();
        if (mkl is not null) return $"{mkl}, linked into libtorch_cpu; kernels chosen {(MklCodePath.Active ? "by instruction set" : $"by MKL's vendor check ({MklCodePath.Problem})")}";
        var separate = LoadedLibraries("blas").Concat(LoadedLibraries("mkl")).Distinct().ToList();
        return separate.Count > 0 ? string.Join(", ", separate.Select(Path.GetFileName)) : "libtorch's own kernels (no MKL, no separate BLAS library loaded)";
    }

    private static unsafe string? MklVersion()
    {
        var torchCpu = LoadedLibraries("libtorch_cpu.so").FirstOrDefault();
        if (torchCpu is null || !NativeLibrary.TryLoad(torchCpu, out var handle)) return null;
        try
        {
            if (!NativeLibrary.TryGetExport(handle, "MKL_Get_Version_String", out var export)) return null;
            var buffer = new byte[256];
            fixed (byte* b = buffer)
                ((delegate* unmanaged<byte*, int, void>)export)(b, buffer.Length);
            return Encoding.ASCII.GetString(buffer).TrimEnd('\0', ' ');
        }
        finally
        {
            NativeLibrary.Free(handle);
        }
    }
}
