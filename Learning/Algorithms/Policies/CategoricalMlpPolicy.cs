using MetaRl.Learning.Torch;
using MetaRl.Learning.Torch.Nn;

namespace MetaRl.Learning.Algorithms.Policies;

/// <summary>π(a|s) = Categorical(softmax(MLP(s))) over <c>actions</c> choices; a tanh MLP.</summary>
public sealed class CategoricalMlpPolicy : IPolicy
{
    private readonly Mlp _logits;

    public CategoricalMlpPolicy(int observationSize, int actions, IReadOnlyList<int> hidden, Generator generator)
    {
        ObservationSize = observationSize;
        Actions = actions;
        _logits = new Mlp([observationSize, .. hidden.Select(h => (long)h), actions], Activation.Tanh, generator);
        Parameters = _logits.Parameters();
    }

    public int ObservationSize { get; }
    public int Actions { get; }
    public int ActionSize => 1;
    public bool Discrete => true;
    public IReadOnlyList<Tensor> Parameters { get; }

    public ActionDistribution Distribution(Tensor observations, IReadOnlyList<Tensor> parameters) =>
        new CategoricalActions(_logits.Forward(observations, parameters));

    public void Dispose() => _logits.Dispose();
}
