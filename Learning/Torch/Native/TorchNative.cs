using System.Runtime.InteropServices;

namespace MetaRl.Learning.Torch.Native;

/// <summary>
/// P/Invoke surface of libmetarl_torch (Learning/native/torch). Handle-returning functions return
/// zero on failure and int-returning ones -1; the message is read with <see cref="mt_last_error"/>.
/// Nothing outside Learning/Torch calls these directly.
/// </summary>
internal static unsafe partial class TorchNative
{
    private const string Lib = "metarl_torch";

    [LibraryImport(Lib)] internal static partial IntPtr mt_last_error();
    [LibraryImport(Lib)] internal static partial void mt_clear_error();

    [LibraryImport(Lib)] internal static partial IntPtr mt_version();
    [LibraryImport(Lib)] internal static partial int mt_get_num_threads();
    [LibraryImport(Lib)] internal static partial int mt_set_num_threads(int n);
    [LibraryImport(Lib)] internal static partial int mt_cuda_is_available();
    [LibraryImport(Lib)] internal static partial IntPtr mt_build_config();
    [LibraryImport(Lib)] internal static partial IntPtr mt_parallel_info();

    [LibraryImport(Lib)] internal static partial void mt_free(IntPtr t);
    [LibraryImport(Lib)] internal static partial IntPtr mt_from_data(void* data, long* shape, int ndim, int dtype, int device, int requiresGrad);
    [LibraryImport(Lib)] internal static partial int mt_copy_to(IntPtr t, void* dst, long capacity, int dtype);
    [LibraryImport(Lib)] internal static partial int mt_ndim(IntPtr t);
    [LibraryImport(Lib)] internal static partial int mt_shape(IntPtr t, long* dst, int capacity);
    [LibraryImport(Lib)] internal static partial long mt_numel(IntPtr t);
    [LibraryImport(Lib)] internal static partial int mt_dtype(IntPtr t);
    [LibraryImport(Lib)] internal static partial int mt_device(IntPtr t);
    [LibraryImport(Lib)] internal static partial int mt_requires_grad(IntPtr t);
    [LibraryImport(Lib)] internal static partial int mt_set_requires_grad(IntPtr t, int flag);
    [LibraryImport(Lib)] internal static partial IntPtr mt_detach(IntPtr t);
    [LibraryImport(Lib)] internal static partial double mt_item(IntPtr t);

    [LibraryImport(Lib)] internal static partial IntPtr mt_binary(int op, IntPtr a, IntPtr b);
    [LibraryImport(Lib)] internal static partial IntPtr mt_sum_all(IntPtr a);

    [LibraryImport(Lib)] internal static partial int mt_backward(IntPtr loss, int retainGraph);
    [LibraryImport(Lib)] internal static partial IntPtr mt_grad_of(IntPtr t);
    [LibraryImport(Lib)] internal static partial int mt_grad(IntPtr* outputs, int nOutputs, IntPtr* inputs, int nInputs, int createGraph, int retainGraph, int allowUnused, IntPtr* results);
    [LibraryImport(Lib)] internal static partial int mt_is_grad_enabled();
    [LibraryImport(Lib)] internal static partial void mt_set_grad_enabled(int enabled);

    internal static string LastError() => Marshal.PtrToStringUTF8(mt_last_error()) ?? "";

    /// <summary>Throws the shim's last error when a handle-returning call failed.</summary>
    internal static IntPtr Check(IntPtr handle) =>
        handle != IntPtr.Zero ? handle : throw new TorchException(LastError());

    /// <summary>Throws the shim's last error when an int-returning call failed.</summary>
    internal static int Check(int status) =>
        status >= 0 ? status : throw new TorchException(LastError());
}
