using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace MetaRl.Learning.Common;

/// <summary>
/// Lets oneMKL (linked into TorchSharp's libtorch_cpu) choose its kernels by the instruction sets the
/// processor reports rather than by its vendor: libmetarl_mkl.so (Learning/native/mkl) defines the
/// function MKL asks "is this an Intel processor?", and is loaded into the process's global symbol
/// scope before any matrix product, where libtorch_cpu's lazily bound call finds it first. On Intel
/// processors nothing changes; on this project's AMD EPYC (Zen 4) machines MKL then runs its AVX-512
/// kernels instead of generic ones (docs/ARCHITECTURE.md, "oneMKL on AMD processors").
/// Every process that trains loads the same kernels, so runs stay deterministic across silos;
/// <c>METARL_MKL_VENDOR_DISPATCH=1</c> keeps MKL's own choice (for comparison only: a cluster must not mix the two).
/// </summary>
public static class MklCodePath
{
    private const string Library = "libmetarl_mkl.so";
    private const string Function = "mkl_serv_intel_cpu_true";
    private const int RtldNow = 2, RtldGlobal = 0x100;

    /// <summary>True when MKL's vendor question is answered by our library (the process's global scope resolves it there).</summary>
    public static bool Active { get; private set; }

    /// <summary>Why it is not active (null when it is).</summary>
    public static string? Problem { get; private set; } = "not applied yet";

    /// <summary>Runs when MetaRl.Learning is first used: before any of its code reaches libtorch.</summary>
#pragma warning disable CA2255 // a library's module initializer is the point: it must precede every matrix product in the process
    [ModuleInitializer]
#pragma warning restore CA2255
    internal static void Apply()
    {
        var path = NativeFiles.Workaround(Library, "METARL_MKL_VENDOR_DISPATCH", "1", out var problem);
        Problem = problem;
        if (path is null) return;
        try
        {
            var handle = dlopen(path, RtldNow | RtldGlobal);
            if (handle == IntPtr.Zero)
            {
                Problem = $"dlopen {path}: {Marshal.PtrToStringUTF8(dlerror()) ?? "unknown error"}";
                return;
            }
            var ours = dlsym(handle, Function);
            var resolved = dlsym(IntPtr.Zero, Function); // RTLD_DEFAULT: the global scope, as a lazy binding sees it
            Active = ours != IntPtr.Zero && ours == resolved;
            Problem = Active ? null : $"{Function} in the global scope is not {Library}'s";
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            Problem = e.Message;
        }
    }

    [DllImport("libc", EntryPoint = "dlopen")]
    private static extern IntPtr dlopen([MarshalAs(UnmanagedType.LPUTF8Str)] string file, int mode);

    [DllImport("libc", EntryPoint = "dlsym")]
    private static extern IntPtr dlsym(IntPtr handle, [MarshalAs(UnmanagedType.LPUTF8Str)] string name);

    [DllImport("libc", EntryPoint = "dlerror")]
    private static extern IntPtr dlerror();
}
