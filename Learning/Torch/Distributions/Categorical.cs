namespace MetaRl.Learning.Torch.Distributions;

/// <summary>
/// A categorical distribution over the last dimension of <see cref="Logits"/> (unnormalised
/// log-probabilities). Samples and actions are int64 indices with the batch shape.
/// </summary>
public sealed class Categorical : IDisposable
{
    public Categorical(Tensor logits)
    {
        Logits = logits;
        LogProbs = DisposeScope.Detach(logits.LogSoftmax(-1));
    }

    public Tensor Logits { get; }

    /// <summary>Normalised log-probabilities (owned by this distribution).</summary>
    public Tensor LogProbs { get; }

    public Tensor Probs() => LogProbs.Exp();

    public Tensor Sample(Generator generator)
    {
        using var scope = new DisposeScope();
        var probs = LogProbs.Detach().Exp();
        var flat = probs.Reshape(-1, probs.Size(-1));
        var draws = flat.Multinomial(1, replacement: true, generator).Squeeze(-1);
        var batchShape = probs.Shape[..^1];
        return scope.MoveToOuter(batchShape.Length == 0 ? draws.Reshape() : draws.Reshape(batchShape));
    }

    /// <summary>log p(action) for int64 actions with the batch shape.</summary>
    public Tensor LogProb(Tensor actions)
    {
        using var scope = new DisposeScope();
        return scope.MoveToOuter(LogProbs.Gather(-1, actions.Unsqueeze(-1)).Squeeze(-1));
    }

    public Tensor Entropy()
    {
        using var scope = new DisposeScope();
        return scope.MoveToOuter((LogProbs.Exp() * LogProbs).Sum(-1).Neg());
    }

    /// <summary>KL(this ‖ other).</summary>
    public Tensor KlDivergence(Categorical other)
    {
        using var scope = new DisposeScope();
        return scope.MoveToOuter((LogProbs.Exp() * (LogProbs - other.LogProbs)).Sum(-1));
    }

    public void Dispose() => LogProbs.Dispose();
}
