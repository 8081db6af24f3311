namespace MetaRl.Learning.Torch.Nn;

/// <summary>One GRU step: h' = GRU(x, h). Parameters: weight_ih, weight_hh, bias_ih, bias_hh.</summary>
public sealed class GruCell : Module
{
    public GruCell(long inputSize, long hiddenSize, Generator generator)
    {
        InputSize = inputSize;
        HiddenSize = hiddenSize;
        RegisterParameter("weight_ih", Init.UniformFanIn([3 * hiddenSize, inputSize], hiddenSize, generator));
        RegisterParameter("weight_hh", Init.UniformFanIn([3 * hiddenSize, hiddenSize], hiddenSize, generator));
        RegisterParameter("bias_ih", Init.UniformFanIn([3 * hiddenSize], hiddenSize, generator));
        RegisterParameter("bias_hh", Init.UniformFanIn([3 * hiddenSize], hiddenSize, generator));
    }

    public long InputSize { get; }
    public long HiddenSize { get; }

    public Tensor Forward(Tensor x, Tensor h) => Forward(x, h, Parameters());

    public Tensor Forward(Tensor x, Tensor h, IReadOnlyList<Tensor> p) => Functional.GruCell(x, h, p[0], p[1], p[2], p[3]);
}
