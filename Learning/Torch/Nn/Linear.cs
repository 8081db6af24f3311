namespace MetaRl.Learning.Torch.Nn;

/// <summary>y = x · Wᵀ + b, W: [out, in]. Parameters: weight, bias.</summary>
public sealed class Linear : Module
{
    public Linear(long inFeatures, long outFeatures, Generator generator, bool bias = true)
    {
        InFeatures = inFeatures;
        OutFeatures = outFeatures;
        Weight = RegisterParameter("weight", Init.UniformFanIn([outFeatures, inFeatures], inFeatures, generator));
        Bias = bias ? RegisterParameter("bias", Init.UniformFanIn([outFeatures], inFeatures, generator)) : null;
    }

    public long InFeatures { get; }
    public long OutFeatures { get; }
    public Tensor Weight { get; }
    public Tensor? Bias { get; }

    public Tensor Forward(Tensor x) => Functional.Linear(x, Weight, Bias);

    /// <summary>Forward with explicit parameters [weight, bias?].</summary>
    public Tensor Forward(Tensor x, IReadOnlyList<Tensor> parameters) =>
        Functional.Linear(x, parameters[0], Bias is null ? null : parameters[1]);
}
