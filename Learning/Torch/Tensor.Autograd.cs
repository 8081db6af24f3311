using MetaRl.Learning.Torch.Native;

namespace MetaRl.Learning.Torch;

public sealed partial class Tensor
{
    public bool RequiresGrad
    {
        get => TorchNative.mt_requires_grad(Handle) != 0;
        set => TorchNative.Check(TorchNative.mt_set_requires_grad(Handle, value ? 1 : 0));
    }

    public bool IsLeaf => TorchNative.mt_is_leaf(Handle) != 0;

    /// <summary>The gradient accumulated by <see cref="Backward"/>, or null when there is none. Setting null clears it.</summary>
    public unsafe Tensor? Grad
    {
        get
        {
            IntPtr h;
            TorchNative.Check(TorchNative.mt_grad_of(Handle, &h));
            return h == IntPtr.Zero ? null : new Tensor(h);
        }
        set => TorchNative.Check(TorchNative.mt_set_grad(Handle, value?.Handle ?? IntPtr.Zero));
    }

    /// <summary>Accumulates d(this)/d(leaf) into every leaf's <see cref="Grad"/>. This must be a scalar unless <paramref name="gradOutput"/> is given.</summary>
    public void Backward(Tensor? gradOutput = null, bool retainGraph = false, bool createGraph = false) =>
        TorchNative.Check(TorchNative.mt_backward(Handle, gradOutput?.Handle ?? IntPtr.Zero, retainGraph ? 1 : 0, createGraph ? 1 : 0));

    /// <summary>A tensor sharing this one's storage, cut from the autograd graph.</summary>
    public Tensor Detach() => Wrap(TorchNative.mt_detach(Handle));

    /// <summary>A second handle to the very same tensor (same storage and autograd identity), owned separately.</summary>
    public Tensor Alias() => Wrap(TorchNative.mt_alias(Handle));

    // ---- in-place updates (never recorded by autograd): optimizers and parameter copies ----

    /// <summary>this ← source (same shape or broadcastable).</summary>
    public void CopyFrom(Tensor source) => TorchNative.Check(TorchNative.mt_inplace((int)InPlaceOp.Copy, Handle, source.Handle, 0));

    /// <summary>this ← this + alpha · other.</summary>
    public void AddInPlace(Tensor other, double alpha = 1) => TorchNative.Check(TorchNative.mt_inplace((int)InPlaceOp.AddScaled, Handle, other.Handle, alpha));

    public void MulInPlace(double factor) => TorchNative.Check(TorchNative.mt_inplace_scalar((int)InPlaceScalarOp.Mul, Handle, factor));
    public void FillInPlace(double value) => TorchNative.Check(TorchNative.mt_inplace_scalar((int)InPlaceScalarOp.Fill, Handle, value));
    public void ZeroInPlace() => TorchNative.Check(TorchNative.mt_inplace_scalar((int)InPlaceScalarOp.Zero, Handle, 0));
}
