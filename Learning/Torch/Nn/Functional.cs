using MetaRl.Learning.Torch.Native;

namespace MetaRl.Learning.Torch.Nn;

/// <summary>Stateless building blocks: every parameter is an argument.</summary>
public static class Functional
{
    /// <summary>x · weightᵀ + bias.</summary>
    public static Tensor Linear(Tensor x, Tensor weight, Tensor? bias) =>
        Tensor.Wrap(TorchNative.mt_linear(x.Handle, weight.Handle, bias?.Handle ?? IntPtr.Zero));

    public static Tensor GruCell(Tensor x, Tensor h, Tensor weightIh, Tensor weightHh, Tensor? biasIh, Tensor? biasHh) =>
        Tensor.Wrap(TorchNative.mt_gru_cell(x.Handle, h.Handle, weightIh.Handle, weightHh.Handle, biasIh?.Handle ?? IntPtr.Zero, biasHh?.Handle ?? IntPtr.Zero));

    /// <summary>
    /// A GRU over a whole sequence. <paramref name="parameters"/> holds, per layer, w_ih, w_hh and
    /// (when <paramref name="hasBiases"/>) b_ih, b_hh. h0: [layers, batch, hidden].
    /// </summary>
    public static unsafe (Tensor Output, Tensor Hidden) Gru(Tensor input, Tensor h0, IReadOnlyList<Tensor> parameters, int layers, bool hasBiases, bool batchFirst)
    {
        int expected = layers * (hasBiases ? 4 : 2);
        if (parameters.Count != expected) throw new ArgumentException($"a {layers}-layer GRU takes {expected} parameter tensors, got {parameters.Count}", nameof(parameters));
        Span<IntPtr> handles = stackalloc IntPtr[parameters.Count];
        for (int i = 0; i < parameters.Count; i++) handles[i] = parameters[i].Handle;
        IntPtr output, hidden;
        fixed (IntPtr* p = handles)
            TorchNative.Check(TorchNative.mt_gru(input.Handle, h0.Handle, p, parameters.Count, hasBiases ? 1 : 0, layers, batchFirst ? 1 : 0, &output, &hidden));
        return (new Tensor(output), new Tensor(hidden));
    }

    /// <summary>
    /// A single-layer GRU fused into one autograd node (see Learning/native/torch/gru_fused.cpp):
    /// the same function as <see cref="Gru"/>, several times faster on the CPU, first-order
    /// gradients only. h0: [batch, hidden]; returns every step's output and h_T [batch, hidden].
    /// </summary>
    public static unsafe (Tensor Output, Tensor Hidden) GruFused(Tensor input, Tensor h0, Tensor weightIh, Tensor weightHh, Tensor biasIh, Tensor biasHh, bool batchFirst)
    {
        IntPtr output, hidden;
        TorchNative.Check(TorchNative.mt_gru_fused(input.Handle, h0.Handle, weightIh.Handle, weightHh.Handle, biasIh.Handle, biasHh.Handle, batchFirst ? 1 : 0, &output, &hidden));
        return (new Tensor(output), new Tensor(hidden));
    }

    public enum Reduction
    {
        None = 0,
        Mean = 1,
        Sum = 2,
    }

    public static Tensor MseLoss(Tensor input, Tensor target, Reduction reduction = Reduction.Mean) =>
        Tensor.Wrap(TorchNative.mt_mse_loss(input.Handle, target.Handle, (int)reduction));

    /// <summary>Numerically stable binary cross-entropy on logits, optionally weighted per element.</summary>
    public static Tensor BinaryCrossEntropyWithLogits(Tensor logits, Tensor target, Tensor? weight = null, Reduction reduction = Reduction.Mean) =>
        Tensor.Wrap(TorchNative.mt_bce_with_logits(logits.Handle, target.Handle, weight?.Handle ?? IntPtr.Zero, (int)reduction));
}
