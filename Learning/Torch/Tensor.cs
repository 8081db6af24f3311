using MetaRl.Learning.Torch.Native;

namespace MetaRl.Learning.Torch;

/// <summary>
/// An owned reference to a libtorch tensor. Dispose it (or create it inside a
/// <see cref="DisposeScope"/>) to release native memory deterministically; the finalizer is only a
/// safety net.
/// </summary>
public sealed partial class Tensor : IDisposable
{
    private IntPtr _handle;

    internal Tensor(IntPtr handle)
    {
        _handle = handle;
        DisposeScope.Track(this);
    }

    ~Tensor()
    {
        Release();
    }

    internal IntPtr Handle => _handle != IntPtr.Zero ? _handle : throw new ObjectDisposedException(nameof(Tensor));

    public bool IsDisposed => _handle == IntPtr.Zero;

    internal static Tensor Wrap(IntPtr handle) => new(TorchNative.Check(handle));

    public void Dispose()
    {
        Release();
        GC.SuppressFinalize(this);
    }

    private void Release()
    {
        var h = Interlocked.Exchange(ref _handle, IntPtr.Zero);
        if (h != IntPtr.Zero) TorchNative.mt_free(h);
    }

    // ---- creation and copies ----------------------------------------------------------------

    public static unsafe Tensor From(ReadOnlySpan<float> data, ReadOnlySpan<long> shape, bool requiresGrad = false, Device device = Device.Cpu)
    {
        CheckCount(data.Length, shape);
        fixed (float* p = data)
        fixed (long* s = shape)
            return Wrap(TorchNative.mt_from_data(p, s, shape.Length, (int)ScalarType.Float32, (int)device, requiresGrad ? 1 : 0));
    }

    public static unsafe Tensor From(ReadOnlySpan<double> data, ReadOnlySpan<long> shape, bool requiresGrad = false, Device device = Device.Cpu)
    {
        CheckCount(data.Length, shape);
        fixed (double* p = data)
        fixed (long* s = shape)
            return Wrap(TorchNative.mt_from_data(p, s, shape.Length, (int)ScalarType.Float64, (int)device, requiresGrad ? 1 : 0));
    }

    public static unsafe Tensor From(ReadOnlySpan<long> data, ReadOnlySpan<long> shape, Device device = Device.Cpu)
    {
        CheckCount(data.Length, shape);
        fixed (long* p = data)
        fixed (long* s = shape)
            return Wrap(TorchNative.mt_from_data(p, s, shape.Length, (int)ScalarType.Int64, (int)device, 0));
    }

    /// <summary>A 1-D float32 tensor holding <paramref name="data"/>.</summary>
    public static Tensor From(params float[] data) => From(data, [data.Length]);

    private static void CheckCount(int count, ReadOnlySpan<long> shape)
    {
        long n = 1;
        foreach (var d in shape)
        {
            if (d < 0) throw new ArgumentException($"shape has a negative dimension ({d})", nameof(shape));
            n *= d;
        }
        if (n != count) throw new ArgumentException($"shape [{string.Join(", ", shape.ToArray())}] holds {n} elements but {count} were given", nameof(shape));
    }

    public unsafe void CopyTo(Span<float> destination)
    {
        fixed (float* p = destination)
            TorchNative.Check(TorchNative.mt_copy_to(Handle, p, destination.Length, (int)ScalarType.Float32));
    }

    public unsafe void CopyTo(Span<double> destination)
    {
        fixed (double* p = destination)
            TorchNative.Check(TorchNative.mt_copy_to(Handle, p, destination.Length, (int)ScalarType.Float64));
    }

    public unsafe void CopyTo(Span<long> destination)
    {
        fixed (long* p = destination)
            TorchNative.Check(TorchNative.mt_copy_to(Handle, p, destination.Length, (int)ScalarType.Int64));
    }

    public float[] ToFloatArray()
    {
        var a = new float[NumElements];
        CopyTo(a);
        return a;
    }

    public double[] ToDoubleArray()
    {
        var a = new double[NumElements];
        CopyTo(a);
        return a;
    }

    public long[] ToInt64Array()
    {
        var a = new long[NumElements];
        CopyTo(a);
        return a;
    }

    /// <summary>The value of a one-element tensor.</summary>
    public unsafe double Item()
    {
        double v;
        TorchNative.Check(TorchNative.mt_item(Handle, &v));
        return v;
    }

    /// <summary>Overwrites this tensor's elements in place (same count, converted to its dtype); never recorded by autograd.</summary>
    public unsafe void CopyFrom(ReadOnlySpan<float> source)
    {
        fixed (float* p = source)
            TorchNative.Check(TorchNative.mt_copy_from(Handle, p, source.Length, (int)ScalarType.Float32));
    }

    public unsafe void CopyFrom(ReadOnlySpan<double> source)
    {
        fixed (double* p = source)
            TorchNative.Check(TorchNative.mt_copy_from(Handle, p, source.Length, (int)ScalarType.Float64));
    }

    /// <summary>Copies the raw bytes of the elements (in <paramref name="asType"/>) — used by state dicts.</summary>
    internal unsafe byte[] ToBytes(ScalarType asType)
    {
        var n = NumElements * ElementSize(asType);
        var bytes = new byte[n];
        fixed (byte* p = bytes)
            TorchNative.Check(TorchNative.mt_copy_to(Handle, p, NumElements, (int)asType));
        return bytes;
    }

    internal static unsafe Tensor FromBytes(ReadOnlySpan<byte> bytes, ReadOnlySpan<long> shape, ScalarType type, Device device = Device.Cpu)
    {
        long n = 1;
        foreach (var d in shape) n *= d;
        if (bytes.Length != n * ElementSize(type)) throw new ArgumentException($"{bytes.Length} bytes do not hold {n} elements of {type}");
        fixed (byte* p = bytes)
        fixed (long* s = shape)
            return Wrap(TorchNative.mt_from_data(p, s, shape.Length, (int)type, (int)device, 0));
    }

    public static int ElementSize(ScalarType type) => type switch
    {
        ScalarType.Float32 or ScalarType.Int32 => 4,
        ScalarType.Float64 or ScalarType.Int64 => 8,
        ScalarType.Bool or ScalarType.UInt8 => 1,
        _ => throw new ArgumentOutOfRangeException(nameof(type)),
    };

    // ---- metadata ---------------------------------------------------------------------------

    public long NumElements => TorchNative.mt_numel(Handle);

    public int Dimensions => TorchNative.mt_ndim(Handle);

    public unsafe long[] Shape
    {
        get
        {
            var shape = new long[TorchNative.mt_ndim(Handle)];
            fixed (long* p = shape)
                TorchNative.Check(TorchNative.mt_shape(Handle, p, shape.Length));
            return shape;
        }
    }

    /// <summary>Size of dimension <paramref name="dim"/> (negative counts from the end).</summary>
    public long Size(long dim) => TorchNative.Check(TorchNative.mt_size(Handle, dim));

    public ScalarType DType => (ScalarType)TorchNative.mt_dtype(Handle);

    public Device Device => (Device)TorchNative.mt_device(Handle);

    public override string ToString() => $"Tensor[{string.Join(", ", Shape)}] {DType}";
}
