using MetaRl.Learning.Algorithms.Meta;
using MetaRl.Learning.Environments;
using MetaRl.Learning.Torch;

namespace MetaRl.Learning.Algorithms.Supervised;

/// <summary>
/// Reptile for regression (Nichol et al. 2018): per task, K SGD steps on the support set from θ;
/// θ ← θ + ε·Σ w_i(θ_i − θ)/n. First order; the score is −(query MSE after the K steps).
/// </summary>
public sealed class SupervisedReptile(ISupervisedTaskFamily family, SupervisedOptions options, ulong seed) : SupervisedMetaLearner(family, options, seed)
{
    public override string Name => "reptile";

    public override IterationReport Iterate(TaskBatch batch, ITaskFilter filter, int iteration)
    {
        int n = batch.Tasks.Count;
        ulong phase = PhaseSeed(iteration);
        var adapted = new float[n][][];
        var scores = new double[n];
        var preScores = new double[n];
        ForEachTask(n, i =>
        {
            var (xs, ys, xq, yq) = Data(batch.Tasks[i], phase, i);
            var leaves = Theta.Select(t => { var l = t.Detach(); l.RequiresGrad = true; return l; }).ToList();
            preScores[i] = -Loss(leaves, xq, yq);
            var fast = Adapt(leaves, xs, ys, createGraph: false);
            scores[i] = -Loss(fast, xq, yq);
            adapted[i] = fast.Select(t => t.ToFloatArray()).ToArray();
        });
        var weights = TaskWeights.Combine(batch.Weights, filter.Weights(scores));
        using var scope = new DisposeScope();
        using var _ = Autograd.NoGrad();
        for (int p = 0; p < Theta.Count; p++)
        {
            var current = Theta[p].ToFloatArray();
            var delta = new float[current.Length];
            for (int i = 0; i < n; i++)
                for (int k = 0; k < delta.Length; k++) delta[k] += (float)(weights[i] / n * (adapted[i][p][k] - current[k]));
            Theta[p].AddInPlace(Tensor.From(delta, Theta[p].Shape), Options.ReptileStepSize);
        }
        return new IterationReport(scores, preScores, weights, (long)n * (Options.SupportPoints + Options.QueryPoints), new Dictionary<string, double>());
    }
}
