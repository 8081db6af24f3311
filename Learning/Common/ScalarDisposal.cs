using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace MetaRl.Learning.Common;

/// <summary>
/// Closes a use-after-free in TorchSharp 0.107 (docs/ARCHITECTURE.md, "A TorchSharp race"): a Scalar
/// made by an implicit conversion (alpha = 1 in <c>a + b</c>, a double in tensor arithmetic) can be
/// finalized — and its native object freed — while the native call it was passed to still reads it.
/// TorchSharp's "LibTorchSharp" imports are resolved to libmetarl_scalars.so (Learning/native/
/// torchsharp-scalars), which has TorchSharp's bridge as a dependency and defines only
/// <c>THSTorch_dispose_scalar</c>: Scalars are freed 2 s after their disposal, every other entry point
/// is the bridge's own. Set up from MetaRl.Learning's module initializer, before our code reaches
/// libtorch. <c>METARL_SCALAR_DISPOSAL=immediate</c> leaves TorchSharp as shipped.
/// </summary>
public static class ScalarDisposal
{
    private const string Library = "libmetarl_scalars.so";
    private static IntPtr _handle;

    /// <summary>Why TorchSharp's imports are not resolved to the deferring library (null when they are).</summary>
    public static string? Problem { get; private set; } = "not applied yet";

    /// <summary>Scalars waiting for their grace period to end, and all Scalars ever deferred, in this process.</summary>
    public static (ulong Waiting, ulong Deferred) Counts
    {
        get
        {
            if (_handle == IntPtr.Zero || !NativeLibrary.TryGetExport(_handle, "metarl_scalars_waiting", out var export)) return (0, 0);
            ulong waiting = 0, deferred = 0;
            unsafe
            {
                ((delegate* unmanaged<ulong*, ulong*, void>)export)(&waiting, &deferred);
            }
            return (waiting, deferred);
        }
    }

#pragma warning disable CA2255 // a library's module initializer is the point: it must precede TorchSharp's first native call from our code
    [ModuleInitializer]
#pragma warning restore CA2255
    internal static void Apply()
    {
        if (!OperatingSystem.IsLinux())
        {
            Problem = "only applied on Linux";
            return;
        }
        if (Environment.GetEnvironmentVariable("METARL_SCALAR_DISPOSAL") == "immediate")
        {
            Problem = "METARL_SCALAR_DISPOSAL=immediate";
            return;
        }
        var path = NativeFiles.BesideLearning(Library);
        if (path is null)
        {
            Problem = $"{Library} not found next to MetaRl.Learning";
            return;
        }
        try
        {
            NativeLibrary.SetDllImportResolver(typeof(TorchSharp.torch).Assembly, (name, _, _) =>
            {
                if (name != "LibTorchSharp") return IntPtr.Zero;
                if (_handle == IntPtr.Zero && NativeLibrary.TryLoad(path, out var handle)) _handle = handle;
                return _handle;
            });
            Problem = null;
        }
        catch (InvalidOperationException e)
        {
            Problem = e.Message; // another resolver was set first
        }
    }
}
