using MetaRl.Learning.Torch.Native;

namespace MetaRl.Learning.Torch;

public sealed partial class Tensor
{
    public bool RequiresGrad
    {
        get => TorchNative.mt_requires_grad(Handle) != 0;
        set => TorchNative.Check(TorchNative.mt_set_requires_grad(Handle, value ? 1 : 0));
    }

    /// <summary>The gradient accumulated by <see cref="Backward"/>, or null when there is none.</summary>
    public Tensor? Grad
    {
        get
        {
            var h = TorchNative.mt_grad_of(Handle);
            if (h != IntPtr.Zero) return new Tensor(h);
            var error = TorchNative.LastError();
            return error.Length == 0 ? null : throw new TorchException(error);
        }
    }

    public void Backward(bool retainGraph = false) => TorchNative.Check(TorchNative.mt_backward(Handle, retainGraph ? 1 : 0));

    /// <summary>A tensor sharing this one's storage, cut from the autograd graph.</summary>
    public Tensor Detach() => Wrap(TorchNative.mt_detach(Handle));
}
