using System.Runtime.InteropServices;
using MetaRl.Learning.Torch.Native;

namespace MetaRl.Learning.Torch;

/// <summary>Process-wide facts and settings of the libtorch in use.</summary>
public static class TorchRuntime
{
    public static string Version => Marshal.PtrToStringUTF8(TorchNative.mt_version()) ?? "unknown";

    /// <summary>Intra-op threads libtorch uses (OMP_NUM_THREADS, or the core count).</summary>
    public static int Threads
    {
        get => TorchNative.mt_get_num_threads();
        set => TorchNative.Check(TorchNative.mt_set_num_threads(value));
    }

    public static bool CudaAvailable => TorchNative.mt_cuda_is_available() != 0;

    public static string BuildConfig => Marshal.PtrToStringUTF8(TorchNative.Check(TorchNative.mt_build_config())) ?? "";

    public static string ParallelInfo => Marshal.PtrToStringUTF8(TorchNative.Check(TorchNative.mt_parallel_info())) ?? "";

    /// <summary>
    /// The BLAS shared library this process actually loaded (libtorch dispatches matmul to the
    /// system BLAS through Debian's alternatives), read from /proc/self/maps after a matmul.
    /// </summary>
    public static string LoadedBlasLibrary()
    {
        using (var a = Tensor.From(new float[64 * 64], [64, 64]))
        using (var p = a.MatMul(a))
        {
        }
        try
        {
            var libs = File.ReadLines("/proc/self/maps")
                .Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries))
                .Where(f => f.Length >= 6)
                .Select(f => f[5])
                .Where(p => p.Contains("blas", StringComparison.OrdinalIgnoreCase))
                .Distinct()
                .ToList();
            return libs.Count == 0 ? "none loaded" : string.Join(", ", libs);
        }
        catch (IOException)
        {
            return "unknown (/proc/self/maps unreadable)";
        }
    }
}
