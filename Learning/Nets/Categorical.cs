using static TorchSharp.torch;

namespace MetaRl.Learning.Nets;

/// <summary>
/// A categorical distribution over the last dimension of the logits (unnormalised
/// log-probabilities). Samples and values are int64 indices with the batch shape.
/// </summary>
public sealed class Categorical(Tensor logits)
{
    /// <summary>Normalised log-probabilities.</summary>
    public Tensor LogProbs { get; } = logits.log_softmax(-1);

    public Tensor Sample(Generator generator)
    {
        var probs = LogProbs.detach().exp();
        var flat = probs.reshape(-1, probs.shape[^1]);
        var draws = flat.multinomial(1, replacement: true, generator: generator).squeeze(-1);
        var batchShape = probs.shape[..^1];
        return draws.reshape(batchShape);
    }

    /// <summary>log p(value) for int64 values with the batch shape.</summary>
    public Tensor LogProb(Tensor values) => LogProbs.gather(-1, values.unsqueeze(-1)).squeeze(-1);

    public Tensor Entropy() => (LogProbs.exp() * LogProbs).sum(-1).neg();

    /// <summary>KL(this ‖ other).</summary>
    public Tensor KlDivergence(Categorical other) => (LogProbs.exp() * (LogProbs - other.LogProbs)).sum(-1);
}
