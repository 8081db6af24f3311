namespace MetaRl.Learning.Torch.Nn;

/// <summary>
/// A (multi-layer) GRU with PyTorch's gate layout and parameter names (weight_ih_l0, weight_hh_l0,
/// bias_ih_l0, bias_hh_l0, ...). Input [seq, batch, features], or [batch, seq, features] when batchFirst.
/// With <c>fused</c> (one layer only) the whole sequence is one native autograd node: much faster
/// on the CPU, but first-order gradients only.
/// </summary>
public sealed class Gru : Module
{
    public Gru(long inputSize, long hiddenSize, Generator generator, int layers = 1, bool batchFirst = false, bool fused = false)
    {
        if (fused && layers != 1) throw new ArgumentException("the fused GRU has one layer", nameof(fused));
        Fused = fused;
        InputSize = inputSize;
        HiddenSize = hiddenSize;
        Layers = layers;
        BatchFirst = batchFirst;
        for (int l = 0; l < layers; l++)
        {
            long inSize = l == 0 ? inputSize : hiddenSize;
            RegisterParameter($"weight_ih_l{l}", Init.UniformFanIn([3 * hiddenSize, inSize], hiddenSize, generator));
            RegisterParameter($"weight_hh_l{l}", Init.UniformFanIn([3 * hiddenSize, hiddenSize], hiddenSize, generator));
            RegisterParameter($"bias_ih_l{l}", Init.UniformFanIn([3 * hiddenSize], hiddenSize, generator));
            RegisterParameter($"bias_hh_l{l}", Init.UniformFanIn([3 * hiddenSize], hiddenSize, generator));
        }
    }

    public long InputSize { get; }
    public long HiddenSize { get; }
    public int Layers { get; }
    public bool BatchFirst { get; }
    public bool Fused { get; }

    /// <summary>Runs the sequence; h0 defaults to zeros. Returns every step's output and the final hidden state [layers, batch, hidden].</summary>
    public (Tensor Output, Tensor Hidden) Forward(Tensor input, Tensor? h0 = null) => Forward(input, h0, Parameters());

    public (Tensor Output, Tensor Hidden) Forward(Tensor input, Tensor? h0, IReadOnlyList<Tensor> parameters)
    {
        var batch = input.Size(BatchFirst ? 0 : 1);
        if (Fused)
        {
            using var scope = new DisposeScope();
            var start = h0 is null ? Tensor.Zeros([batch, HiddenSize], input.DType, input.Device) : h0.Select(0, 0);
            var (output, last) = Functional.GruFused(input, start, parameters[0], parameters[1], parameters[2], parameters[3], BatchFirst);
            return (scope.MoveToOuter(output), scope.MoveToOuter(last.Unsqueeze(0)));
        }
        var h = h0 ?? Tensor.Zeros([Layers, batch, HiddenSize], input.DType, input.Device);
        return Functional.Gru(input, h, parameters, Layers, hasBiases: true, BatchFirst);
    }
}
