using MetaRl.Learning.Nets;
using static TorchSharp.torch;

namespace MetaRl.Learning.Algorithms.Policies;

/// <summary>
/// A policy's action distribution for a batch of observations, continuous (diagonal Gaussian) or
/// discrete (categorical), behind one interface. Actions are float tensors [batch…, actionSize]
/// (a discrete action is one float holding its index), as environments take them.
/// </summary>
public abstract class ActionDistribution
{
    /// <summary>log π(a|s) per row.</summary>
    public abstract Tensor LogProb(Tensor actions);

    /// <summary>Entropy per row.</summary>
    public abstract Tensor Entropy();

    /// <summary>KL(this ‖ other) per row.</summary>
    public abstract Tensor KlDivergence(ActionDistribution other);

    /// <summary>Actions drawn from <paramref name="generator"/> (not differentiable).</summary>
    public abstract Tensor Sample(Generator generator);

    /// <summary>The most likely action per row (for deterministic evaluation).</summary>
    public abstract Tensor Mode();
}

public sealed class GaussianActions(Tensor mean, Tensor logStd) : ActionDistribution
{
    private readonly DiagonalGaussian _d = new(mean, logStd);

    public override Tensor LogProb(Tensor actions) => _d.LogProb(actions);
    public override Tensor Entropy() => _d.Entropy();
    public override Tensor KlDivergence(ActionDistribution other) => _d.KlDivergence(((GaussianActions)other)._d);

    public override Tensor Sample(Generator generator)
    {
        using var _ = no_grad();
        return _d.Sample(generator);
    }

    public override Tensor Mode() => mean.detach();
}

public sealed class CategoricalActions(Tensor logits) : ActionDistribution
{
    private readonly Categorical _d = new(logits);

    public override Tensor LogProb(Tensor actions) => _d.LogProb(actions.squeeze(-1).to_type(ScalarType.Int64));
    public override Tensor Entropy() => _d.Entropy();
    public override Tensor KlDivergence(ActionDistribution other) => _d.KlDivergence(((CategoricalActions)other)._d);

    public override Tensor Sample(Generator generator)
    {
        using var _ = no_grad();
        return _d.Sample(generator).to_type(ScalarType.Float32).unsqueeze(-1);
    }

    public override Tensor Mode() => logits.detach().argmax(-1).to_type(ScalarType.Float32).unsqueeze(-1);
}
