using MetaRl.Learning.Torch;
using MetaRl.Learning.Torch.Nn;

namespace MetaRl.Learning.Algorithms.Policies;

/// <summary>
/// π(a|s) = N(MLP(s), diag(exp(logStd))²): a tanh MLP for the mean (MAML's (64, 64) by default)
/// and a state-independent log standard deviation per action dimension, initialised to
/// <c>initialLogStd</c>. Parameters: the MLP's (layers.0.weight, …), then log_std.
/// </summary>
public sealed class GaussianMlpPolicy : IPolicy
{
    private readonly Mlp _mean;
    private readonly Tensor _logStd;

    public GaussianMlpPolicy(int observationSize, int actionSize, IReadOnlyList<int> hidden, Generator generator, double initialLogStd = 0.0)
    {
        ObservationSize = observationSize;
        ActionSize = actionSize;
        _mean = new Mlp([observationSize, .. hidden.Select(h => (long)h), actionSize], Activation.Tanh, generator);
        _logStd = DisposeScope.Detach(Tensor.Full([actionSize], initialLogStd, requiresGrad: true));
        Parameters = [.. _mean.Parameters(), _logStd];
    }

    public int ObservationSize { get; }
    public int ActionSize { get; }
    public bool Discrete => false;
    public IReadOnlyList<Tensor> Parameters { get; }

    public ActionDistribution Distribution(Tensor observations, IReadOnlyList<Tensor> parameters)
    {
        var mean = _mean.Forward(observations, parameters.Take(parameters.Count - 1).ToList());
        return new GaussianActions(mean, parameters[^1]);
    }

    public void Dispose()
    {
        _mean.Dispose();
        _logStd.Dispose();
    }
}
