using MetaRl.Learning.Nets;
using TorchSharp;
using static TorchSharp.torch;

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
        _logStd = new TorchSharp.Modules.Parameter(full(actionSize, initialLogStd, dtype: ScalarType.Float32)).DetachFromDisposeScope();
        Parameters = [.. _mean.Parameters, _logStd];
    }

    public int ObservationSize { get; }
    public int ActionSize { get; }
    public bool Discrete => false;
    public IReadOnlyList<Tensor> Parameters { get; }
    public Mlp Net => _mean;

    /// <summary>The state-independent log standard deviation (the last of <see cref="Parameters"/>).</summary>
    public Tensor LogStd => _logStd;

    public ActionDistribution Distribution(Tensor observations, IReadOnlyList<Tensor> parameters) =>
        new GaussianActions(_mean.Forward(observations, parameters.Take(parameters.Count - 1).ToList()), parameters[^1]);

    public ActionDistribution DistributionBatched(Tensor observations, IReadOnlyList<Tensor> stacked) =>
        // log_std [tasks, actions] broadcast over each task's rows.
        new GaussianActions(_mean.ForwardBatched(observations, stacked.Take(stacked.Count - 1).ToList()), stacked[^1].unsqueeze(1));

    public void Dispose()
    {
        _mean.Dispose();
        _logStd.Dispose();
    }
}
