using System.Runtime.InteropServices;
using static TorchSharp.torch;

namespace MetaRl.Learning.Nets;

/// <summary>Moving numbers between .NET memory and tensors.</summary>
public static class TensorValues
{
    /// <summary>A tensor's values as doubles, row-major.</summary>
    public static double[] ToDoubles(this Tensor t) => t.to_type(ScalarType.Float64).contiguous().data<double>().ToArray();

    /// <summary>
    /// A new float32 tensor of <paramref name="shape"/> holding <paramref name="values"/>, copied straight
    /// into libtorch's memory. (TorchSharp's <c>tensor(float[])</c> first clones the array and pins the
    /// clone for the tensor's lifetime: large-object-heap garbage on every minibatch.)
    /// </summary>
    public static Tensor FromSpan(ReadOnlySpan<float> values, params long[] shape)
    {
        var t = empty(shape, ScalarType.Float32);
        if (t.numel() != values.Length) throw new ArgumentException($"{values.Length} values do not fill a tensor of shape [{string.Join(", ", shape)}]");
        values.CopyTo(Floats(t));
        return t;
    }

    /// <summary>A contiguous CPU float32 tensor's memory, to read or write in place.</summary>
    public static Span<float> Floats(Tensor t)
    {
        if (t.dtype != ScalarType.Float32) throw new ArgumentException($"a float32 tensor is needed, this one is {t.dtype}");
        return MemoryMarshal.Cast<byte, float>(t.bytes);
    }
}
