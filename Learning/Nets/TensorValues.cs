using static TorchSharp.torch;

namespace MetaRl.Learning.Nets;

/// <summary>Reading tensors back into .NET numbers.</summary>
public static class TensorValues
{
    /// <summary>A tensor's values as doubles, row-major.</summary>
    public static double[] ToDoubles(this Tensor t) => t.to_type(ScalarType.Float64).contiguous().data<double>().ToArray();
}
