using static TorchSharp.torch;

namespace MetaRl.Learning.Algorithms.Policies;

/// <summary>
/// A stochastic policy π_θ(a|s) with explicit parameters: <see cref="Distribution"/> takes the
/// parameter list (in <see cref="Parameters"/> order), so an adapted θ' is used without touching θ.
/// </summary>
public interface IPolicy : IDisposable
{
    int ObservationSize { get; }

    /// <summary>Floats per action (a discrete action is one float holding its index).</summary>
    int ActionSize { get; }

    bool Discrete { get; }

    /// <summary>The MLP that maps observations to the distribution's parameters (the mean, or the logits).</summary>
    Nets.Mlp Net { get; }

    /// <summary>θ, owned by the policy.</summary>
    IReadOnlyList<Tensor> Parameters { get; }

    /// <summary>The action distribution at <paramref name="observations"/> [batch, observationSize] under <paramref name="parameters"/>.</summary>
    ActionDistribution Distribution(Tensor observations, IReadOnlyList<Tensor> parameters);

    /// <summary>
    /// The action distributions of a stack of tasks at once: observations [tasks, batch, observationSize],
    /// each parameter with a leading task dimension (see <see cref="Nets.Mlp.ForwardBatched"/>).
    /// </summary>
    ActionDistribution DistributionBatched(Tensor observations, IReadOnlyList<Tensor> stacked);
}
