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

    /// <summary>Scalars waiting for their grace period to end, all ever deferred, and all freed since, in this process.</summary>
    public static (ulong Waiting, ulong Deferred, ulong Freed) Counts
    {
        get
        {
            if (_handle == IntPtr.Zero || !NativeLibrary.TryGetExport(_handle, "metarl_scalars_counts", out var export)) return (0, 0, 0);
            ulong waiting = 0, deferred = 0, freed = 0;
            unsafe
            {
                ((delegate* unmanaged<ulong*, ulong*, ulong*, void>)export)(&waiting, &deferred, &freed);
            }
            return (waiting, deferred, freed);
        }
    }

#pragma warning disable CA2255 // a library's module initializer is the point: it must precede TorchSharp's first native call from our code
    [ModuleInitializer]
#pragma warning restore CA2255
    internal static void Apply()
    {
        var path = NativeFiles.Workaround(Library, "METARL_SCALAR_DISPOSAL", "immediate", out var problem);
        Problem = problem;
        if (path is null) return;
        try
        {
            NativeLibrary.SetDllImportResolver(typeof(TorchSharp.torch).Assembly, (name, _, _) =>
            {
                if (name != "LibTorchSharp") return IntPtr.Zero;
                if (_handle != IntPtr.Zero) return _handle;
                if (NativeLibrary.TryLoad(path, out var handle)) return _handle = handle;
                Problem = $"{Library} did not load (TorchSharp's bridge not found beside it?); Scalars are freed as TorchSharp ships it";
                return IntPtr.Zero; // the default resolution: TorchSharp's bridge itself
            });
            Problem = null;
        }
        catch (InvalidOperationException e)
        {
            Problem = e.Message; // another resolver was set first
        }
    }
}
