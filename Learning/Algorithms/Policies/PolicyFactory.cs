using MetaRl.Learning.Environments;
using static TorchSharp.torch;

namespace MetaRl.Learning.Algorithms.Policies;

public static class PolicyFactory
{
    /// <summary>The policy that fits a family's action space: Gaussian for boxes, categorical for discrete actions.</summary>
    public static IPolicy For(IRlTaskFamily family, IReadOnlyList<int> hidden, Generator generator) => family.ActionSpace switch
    {
        BoxSpace box => new GaussianMlpPolicy(family.ObservationSpace.Size, box.Size, hidden, generator),
        DiscreteSpace d => new CategoricalMlpPolicy(family.ObservationSpace.Size, d.Count, hidden, generator),
        _ => throw new ArgumentException($"no policy for action space {family.ActionSpace}"),
    };
}
