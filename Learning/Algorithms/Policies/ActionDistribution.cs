using MetaRl.Learning.Torch;
using MetaRl.Learning.Torch.Distributions;

namespace MetaRl.Learning.Algorithms.Policies;

/// <summary>
/// A policy's action distribution for a batch of observations, continuous (diagonal Gaussian) or
/// discrete (categorical), behind one interface. Actions are float tensors [batch, actionSize]
/// (a discrete action is one float holding its index), as environments take them.
/// </summary>
public abstract class ActionDistribution : IDisposable
{
    /// <summary>log π(a|s) per row [batch].</summary>
    public abstract Tensor LogProb(Tensor actions);

    /// <summary>Entropy per row [batch].</summary>
    public abstract Tensor Entropy();

    /// <summary>KL(this ‖ other) per row [batch].</summary>
    public abstract Tensor KlDivergence(ActionDistribution other);

    /// <summary>Actions drawn from <paramref name="generator"/> (not differentiable).</summary>
    public abstract Tensor Sample(Generator generator);

    /// <summary>The most likely action per row (for deterministic evaluation).</summary>
    public abstract Tensor Mode();

    public virtual void Dispose() => GC.SuppressFinalize(this);
}

public sealed class GaussianActions(Tensor mean, Tensor logStd) : ActionDistribution
{
    private readonly DiagonalGaussian _d = new(mean, logStd);

    public override Tensor LogProb(Tensor actions) => _d.LogProb(actions);
    public override Tensor Entropy() => _d.Entropy();
    public override Tensor KlDivergence(ActionDistribution other) => _d.KlDivergence(((GaussianActions)other)._d);

    public override Tensor Sample(Generator generator)
    {
        using var _ = Autograd.NoGrad();
        return _d.Sample(generator);
    }

    public override Tensor Mode() => mean.Detach();
}

public sealed class CategoricalActions(Tensor logits) : ActionDistribution
{
    private readonly Categorical _d = new(logits);

    public override Tensor LogProb(Tensor actions)
    {
        using var scope = new DisposeScope();
        return scope.MoveToOuter(_d.LogProb(actions.Squeeze(-1).To(ScalarType.Int64)));
    }

    public override Tensor Entropy() => _d.Entropy();
    public override Tensor KlDivergence(ActionDistribution other) => _d.KlDivergence(((CategoricalActions)other)._d);

    public override Tensor Sample(Generator generator)
    {
        using var scope = new DisposeScope();
        using var _ = Autograd.NoGrad();
        return scope.MoveToOuter(_d.Sample(generator).To(ScalarType.Float32).Unsqueeze(-1));
    }

    public override Tensor Mode()
    {
        using var scope = new DisposeScope();
        return scope.MoveToOuter(logits.Detach().ArgMax(-1).To(ScalarType.Float32).Unsqueeze(-1));
    }

    public override void Dispose()
    {
        _d.Dispose();
        base.Dispose();
    }
}
