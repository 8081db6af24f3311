using MetaRl.Learning.Torch.Native;

namespace MetaRl.Learning.Torch;

public sealed partial class Tensor
{
    /// <summary>Same elements, new shape (one dimension may be -1); copies only when it must.</summary>
    public unsafe Tensor Reshape(params long[] shape)
    {
        fixed (long* s = shape)
            return Wrap(TorchNative.mt_reshape(Handle, s, shape.Length));
    }

    /// <summary>A view with a new shape; fails (TorchException) when the memory layout does not allow one.</summary>
    public unsafe Tensor View(params long[] shape)
    {
        fixed (long* s = shape)
            return Wrap(TorchNative.mt_view(Handle, s, shape.Length));
    }

    public unsafe Tensor Expand(params long[] shape)
    {
        fixed (long* s = shape)
            return Wrap(TorchNative.mt_expand(Handle, s, shape.Length));
    }

    public unsafe Tensor Repeat(params long[] repeats)
    {
        fixed (long* r = repeats)
            return Wrap(TorchNative.mt_repeat(Handle, r, repeats.Length));
    }

    public unsafe Tensor Permute(params long[] dims)
    {
        fixed (long* d = dims)
            return Wrap(TorchNative.mt_permute(Handle, d, dims.Length));
    }

    public unsafe Tensor Flip(params long[] dims)
    {
        fixed (long* d = dims)
            return Wrap(TorchNative.mt_flip(Handle, d, dims.Length));
    }

    public Tensor Transpose(long dim0, long dim1) => Wrap(TorchNative.mt_transpose(Handle, dim0, dim1));

    /// <summary>Transpose of a 2-D tensor.</summary>
    public Tensor T => Transpose(0, 1);

    public Tensor Squeeze() => Wrap(TorchNative.mt_squeeze(Handle, 0, 1));
    public Tensor Squeeze(long dim) => Wrap(TorchNative.mt_squeeze(Handle, dim, 0));
    public Tensor Unsqueeze(long dim) => Wrap(TorchNative.mt_unsqueeze(Handle, dim));
    public Tensor Flatten(long startDim = 0, long endDim = -1) => Wrap(TorchNative.mt_flatten(Handle, startDim, endDim));

    /// <summary>Elements start, start+step, … below end along <paramref name="dim"/> (a view).</summary>
    public Tensor Slice(long dim, long start, long end, long step = 1) => Wrap(TorchNative.mt_slice(Handle, dim, start, end, step));

    public Tensor Narrow(long dim, long start, long length) => Wrap(TorchNative.mt_narrow(Handle, dim, start, length));

    /// <summary>The slice at <paramref name="index"/> along <paramref name="dim"/>, that dimension removed.</summary>
    public Tensor Select(long dim, long index) => Wrap(TorchNative.mt_select(Handle, dim, index));

    public Tensor IndexSelect(long dim, Tensor index) => Wrap(TorchNative.mt_index_select(Handle, dim, index.Handle));
    public Tensor Gather(long dim, Tensor index) => Wrap(TorchNative.mt_gather(Handle, dim, index.Handle));
    public Tensor ScatterAdd(long dim, Tensor index, Tensor source) => Wrap(TorchNative.mt_scatter_add(Handle, dim, index.Handle, source.Handle));
    public Tensor MaskedSelect(Tensor mask) => Wrap(TorchNative.mt_masked_select(Handle, mask.Handle));

    /// <summary>One-hot encoding of this int64 index tensor (int64 result).</summary>
    public Tensor OneHot(long classes) => Wrap(TorchNative.mt_one_hot(Handle, classes));

    public static unsafe Tensor Cat(IReadOnlyList<Tensor> tensors, long dim = 0)
    {
        if (tensors.Count == 0) throw new ArgumentException("Cat needs at least one tensor", nameof(tensors));
        Span<IntPtr> handles = tensors.Count <= 64 ? stackalloc IntPtr[tensors.Count] : new IntPtr[tensors.Count];
        for (int i = 0; i < tensors.Count; i++) handles[i] = tensors[i].Handle;
        fixed (IntPtr* h = handles)
            return Wrap(TorchNative.mt_cat(h, tensors.Count, dim));
    }

    public static unsafe Tensor Stack(IReadOnlyList<Tensor> tensors, long dim = 0)
    {
        if (tensors.Count == 0) throw new ArgumentException("Stack needs at least one tensor", nameof(tensors));
        Span<IntPtr> handles = tensors.Count <= 64 ? stackalloc IntPtr[tensors.Count] : new IntPtr[tensors.Count];
        for (int i = 0; i < tensors.Count; i++) handles[i] = tensors[i].Handle;
        fixed (IntPtr* h = handles)
            return Wrap(TorchNative.mt_stack(h, tensors.Count, dim));
    }
}
