namespace MetaRl.Learning.Torch.Nn;

/// <summary>Parameter initialisation, from a named random stream.</summary>
public static class Init
{
    /// <summary>U(−1/√fanIn, 1/√fanIn): PyTorch's default for Linear (weights and biases) and GRU (all, with fanIn = hidden).</summary>
    public static Tensor UniformFanIn(ReadOnlySpan<long> shape, long fanIn, Generator generator)
    {
        double bound = 1.0 / Math.Sqrt(fanIn);
        return Tensor.Uniform(shape, -bound, bound, generator);
    }
}
