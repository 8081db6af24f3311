using MetaRl.Learning.Algorithms.Meta;
using MetaRl.Learning.Environments;
using MetaRl.Learning.Nets;
using static TorchSharp.torch;

namespace MetaRl.Learning.Algorithms.Supervised;

/// <summary>
/// Reptile for regression (Nichol et al. 2018): per task, K SGD steps on the support set from θ;
/// θ ← θ + ε·Σ w_i(θ_i − θ)/n. First order; the score is −(query MSE after the K steps). All tasks
/// of a batch adapt at once, batched.
/// </summary>
public sealed class SupervisedReptile(ISupervisedTaskFamily family, SupervisedOptions options, ulong seed) : SupervisedMetaLearner(family, options, seed)
{
    public override string Name => "reptile";

    public override IterationReport Iterate(TaskBatch batch, ITaskFilter filter, int iteration)
    {
        using var scope = NewDisposeScope();
        int n = batch.Tasks.Count;
        var (xs, ys, xq, yq) = Data(batch.Tasks, PhaseSeed(iteration));
        var stacked = Mlp.Stack(Theta.Select(t => t.detach()).ToList(), n);
        double[] preScores, scores;
        using (no_grad()) preScores = Scores(TaskLosses(stacked, xq, yq));
        var adapted = Adapt(stacked, xs, ys, createGraph: false);
        using (no_grad()) scores = Scores(TaskLosses(adapted, xq, yq));
        var weights = TaskWeights.Combine(batch.Weights, filter.Weights(scores));
        using (no_grad())
        {
            var w = tensor(weights.Select(x => (float)(x / n)).ToArray());
            for (int p = 0; p < Theta.Count; p++)
            {
                var shape = new long[adapted[p].dim()];
                Array.Fill(shape, 1L);
                shape[0] = n;
                var delta = ((adapted[p] - Theta[p].unsqueeze(0)) * w.view(shape)).sum(0);
                Theta[p].add_(delta, alpha: Options.ReptileStepSize);
            }
        }
        return new IterationReport(scores, preScores, weights, (long)n * (Options.SupportPoints + Options.QueryPoints), new Dictionary<string, double>());
    }

    private static double[] Scores(Tensor losses) => losses.neg().to_type(ScalarType.Float64).data<double>().ToArray();
}
