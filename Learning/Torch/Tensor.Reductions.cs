using MetaRl.Learning.Torch.Native;

namespace MetaRl.Learning.Torch;

/// <summary>How <see cref="Tensor.Quantile(double, QuantileInterpolation)"/> picks between order statistics.</summary>
public enum QuantileInterpolation
{
    Linear = 0,
    Lower = 1,
    Higher = 2,
    Midpoint = 3,
    Nearest = 4,
}

public sealed partial class Tensor
{
    private unsafe Tensor Reduce(ReduceOp op, ReadOnlySpan<long> dims, bool keepDim)
    {
        fixed (long* d = dims)
            return Wrap(TorchNative.mt_reduce((int)op, Handle, d, dims.Length, keepDim ? 1 : 0));
    }

    /// <summary>Sum of all elements (0-dimensional).</summary>
    public Tensor Sum() => Reduce(ReduceOp.Sum, [], false);
    public Tensor Sum(long dim, bool keepDim = false) => Reduce(ReduceOp.Sum, [dim], keepDim);
    public Tensor Sum(ReadOnlySpan<long> dims, bool keepDim = false) => Reduce(ReduceOp.Sum, dims, keepDim);

    public Tensor Mean() => Reduce(ReduceOp.Mean, [], false);
    public Tensor Mean(long dim, bool keepDim = false) => Reduce(ReduceOp.Mean, [dim], keepDim);
    public Tensor Mean(ReadOnlySpan<long> dims, bool keepDim = false) => Reduce(ReduceOp.Mean, dims, keepDim);

    /// <summary>Largest element (0-dimensional).</summary>
    public Tensor Max() => Reduce(ReduceOp.Max, [], false);
    public Tensor Min() => Reduce(ReduceOp.Min, [], false);

    /// <summary>Largest values along <paramref name="dim"/> and where they are.</summary>
    public unsafe (Tensor Values, Tensor Indices) Max(long dim, bool keepDim = false)
    {
        IntPtr v, i;
        TorchNative.Check(TorchNative.mt_max_min_dim(0, Handle, dim, keepDim ? 1 : 0, &v, &i));
        return (new Tensor(v), new Tensor(i));
    }

    public unsafe (Tensor Values, Tensor Indices) Min(long dim, bool keepDim = false)
    {
        IntPtr v, i;
        TorchNative.Check(TorchNative.mt_max_min_dim(1, Handle, dim, keepDim ? 1 : 0, &v, &i));
        return (new Tensor(v), new Tensor(i));
    }

    /// <summary>Values only (amax): differentiable, spreads the gradient over ties.</summary>
    public Tensor AMax(long dim, bool keepDim = false) => Reduce(ReduceOp.Max, [dim], keepDim);
    public Tensor AMin(long dim, bool keepDim = false) => Reduce(ReduceOp.Min, [dim], keepDim);

    public Tensor ArgMax(long dim, bool keepDim = false) => Wrap(TorchNative.mt_arg_extreme(0, Handle, dim, keepDim ? 1 : 0));
    public Tensor ArgMin(long dim, bool keepDim = false) => Wrap(TorchNative.mt_arg_extreme(1, Handle, dim, keepDim ? 1 : 0));

    public Tensor LogSumExp(long dim, bool keepDim = false) => Reduce(ReduceOp.LogSumExp, [dim], keepDim);
    public Tensor Prod() => Reduce(ReduceOp.Prod, [], false);
    public Tensor Prod(long dim, bool keepDim = false) => Reduce(ReduceOp.Prod, [dim], keepDim);

    /// <summary>Unbiased standard deviation (n − 1 in the denominator), over all elements.</summary>
    public Tensor Std() => Reduce(ReduceOp.Std, [], false);
    public Tensor Std(long dim, bool keepDim = false) => Reduce(ReduceOp.Std, [dim], keepDim);
    public Tensor Var() => Reduce(ReduceOp.Var, [], false);
    public Tensor Var(long dim, bool keepDim = false) => Reduce(ReduceOp.Var, [dim], keepDim);

    /// <summary>Euclidean norm of all elements.</summary>
    public Tensor Norm() => Reduce(ReduceOp.Norm, [], false);
    public Tensor Norm(long dim, bool keepDim = false) => Reduce(ReduceOp.Norm, [dim], keepDim);

    public unsafe (Tensor Values, Tensor Indices) Sort(long dim = -1, bool descending = false, bool stable = true)
    {
        IntPtr v, i;
        TorchNative.Check(TorchNative.mt_sort(Handle, dim, descending ? 1 : 0, stable ? 1 : 0, &v, &i));
        return (new Tensor(v), new Tensor(i));
    }

    public unsafe (Tensor Values, Tensor Indices) TopK(long k, long dim = -1, bool largest = true)
    {
        IntPtr v, i;
        TorchNative.Check(TorchNative.mt_topk(Handle, k, dim, largest ? 1 : 0, &v, &i));
        return (new Tensor(v), new Tensor(i));
    }

    /// <summary>The q-quantile of all elements (libtorch's quantile; linear interpolation by default).</summary>
    public Tensor Quantile(double q, QuantileInterpolation interpolation = QuantileInterpolation.Linear) =>
        Wrap(TorchNative.mt_quantile(Handle, q, 0, 0, 0, (int)interpolation));

    public Tensor Quantile(double q, long dim, bool keepDim = false, QuantileInterpolation interpolation = QuantileInterpolation.Linear) =>
        Wrap(TorchNative.mt_quantile(Handle, q, dim, 1, keepDim ? 1 : 0, (int)interpolation));
}
