using MetaRl.Learning.Nets;
using static TorchSharp.torch;

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
        Parameters = _logits.Parameters;
    }

    public int ObservationSize { get; }
    public int Actions { get; }
    public int ActionSize => 1;
    public bool Discrete => true;
    public IReadOnlyList<Tensor> Parameters { get; }
    public Mlp Net => _logits;

    public ActionDistribution Distribution(Tensor observations, IReadOnlyList<Tensor> parameters) =>
        new CategoricalActions(_logits.Forward(observations, parameters));

    public ActionDistribution DistributionBatched(Tensor observations, IReadOnlyList<Tensor> stacked) =>
        new CategoricalActions(_logits.ForwardBatched(observations, stacked));

    public void Dispose() => _logits.Dispose();
}
