using MetaRl.Learning.Torch.Native;

namespace MetaRl.Learning.Torch;

/// <summary>Gradients as values (for MAML's inner step and TRPO's Fisher products) and the grad mode.</summary>
public static class Autograd
{
    /// <summary>
    /// d(Σ outputs · gradOutputs)/d(inputs). With <paramref name="createGraph"/> the result is itself
    /// differentiable (second-order MAML). An input the outputs do not depend on throws unless
    /// <paramref name="allowUnused"/>, in which case its gradient is zeros.
    /// </summary>
    public static unsafe Tensor[] Grad(IReadOnlyList<Tensor> outputs, IReadOnlyList<Tensor> inputs, bool createGraph = false,
        bool retainGraph = false, bool allowUnused = false, IReadOnlyList<Tensor>? gradOutputs = null)
    {
        if (gradOutputs is not null && gradOutputs.Count != outputs.Count)
            throw new ArgumentException($"{gradOutputs.Count} grad outputs for {outputs.Count} outputs", nameof(gradOutputs));
        var outs = new IntPtr[outputs.Count];
        var ins = new IntPtr[inputs.Count];
        var gouts = gradOutputs is null ? null : new IntPtr[gradOutputs.Count];
        var results = new IntPtr[inputs.Count];
        for (int i = 0; i < outs.Length; i++) outs[i] = outputs[i].Handle;
        for (int i = 0; i < ins.Length; i++) ins[i] = inputs[i].Handle;
        if (gouts is not null) for (int i = 0; i < gouts.Length; i++) gouts[i] = gradOutputs![i].Handle;
        fixed (IntPtr* o = outs)
        fixed (IntPtr* n = ins)
        fixed (IntPtr* g = gouts)
        fixed (IntPtr* r = results)
            TorchNative.Check(TorchNative.mt_grad(o, outs.Length, g, n, ins.Length, createGraph ? 1 : 0, retainGraph ? 1 : 0, allowUnused ? 1 : 0, r));
        var grads = new Tensor[inputs.Count];
        for (int i = 0; i < grads.Length; i++)
            grads[i] = results[i] != IntPtr.Zero ? new Tensor(results[i]) : inputs[i].ZerosLike();
        return grads;
    }

    public static Tensor[] Grad(Tensor output, IReadOnlyList<Tensor> inputs, bool createGraph = false, bool retainGraph = false, bool allowUnused = false) =>
        Grad([output], inputs, createGraph, retainGraph, allowUnused);

    /// <summary>Whether operations on this thread are recorded for autograd.</summary>
    public static bool IsEnabled => TorchNative.mt_is_grad_enabled() != 0;

    /// <summary>Stops recording on this thread until disposed (grad mode is per thread in libtorch).</summary>
    public static GradModeScope NoGrad() => new(false);

    /// <summary>Records on this thread until disposed, even inside a <see cref="NoGrad"/> scope.</summary>
    public static GradModeScope EnableGrad() => new(true);

    public readonly struct GradModeScope : IDisposable
    {
        private readonly bool _previous;

        internal GradModeScope(bool enabled)
        {
            _previous = TorchNative.mt_is_grad_enabled() != 0;
            TorchNative.mt_set_grad_enabled(enabled ? 1 : 0);
        }

        public void Dispose() => TorchNative.mt_set_grad_enabled(_previous ? 1 : 0);
    }
}
