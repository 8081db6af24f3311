using MetaRl.Learning.Algorithms.Meta;
using MetaRl.Learning.Common;
using MetaRl.Learning.Environments;
using MetaRl.Learning.Nets;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace MetaRl.Learning.Algorithms.Supervised;

/// <summary>
/// MAML for regression (Finn et al. 2017): per task, K inner SGD steps on the support set, kept
/// differentiable; the meta-loss is the weighted mean over tasks of the adapted query MSE,
/// minimised by Adam (second order). The whole meta-batch is one batched computation: θ expanded
/// to one copy per task, the inner steps of all tasks at once, one backward pass to θ.
/// </summary>
public sealed class SupervisedMaml : SupervisedMetaLearner
{
    private readonly Adam _adam;

    public SupervisedMaml(ISupervisedTaskFamily family, SupervisedOptions options, ulong seed) : base(family, options, seed)
    {
        _adam = torch.optim.Adam(Theta.Cast<Parameter>(), options.OuterLearningRate);
    }

    public override string Name => "maml";

    public override IterationReport Iterate(TaskBatch batch, ITaskFilter filter, int iteration)
    {
        using var scope = NewDisposeScope();
        int n = batch.Tasks.Count;
        var (xs, ys, xq, yq) = Data(batch.Tasks, PhaseSeed(iteration));
        var stacked = Mlp.Stack(Theta, n);
        double[] preScores;
        using (no_grad()) preScores = Scores(TaskLosses(stacked, xq, yq));
        var losses = TaskLosses(Adapt(stacked, xs, ys, createGraph: true), xq, yq);
        var scores = Scores(losses.detach());
        var weights = TaskWeights.Combine(batch.Weights, filter.Weights(scores));
        var metaLoss = (losses * tensor(weights.Select(w => (float)w).ToArray())).sum() / n;
        _adam.zero_grad();
        metaLoss.backward();
        _adam.step();
        return new IterationReport(scores, preScores, weights, (long)n * (Options.SupportPoints + Options.QueryPoints),
            new Dictionary<string, double> { ["meta_loss"] = -scores.Zip(weights, (s, w) => s * w).Average() });
    }

    private static double[] Scores(Tensor losses) => losses.neg().to_type(ScalarType.Float64).data<double>().ToArray();

    protected override void SaveExtra(TensorArchive archive) => archive.AddBytes("adam", OptimizerBytes.Save(_adam));

    protected override void LoadExtra(TensorArchive archive) => OptimizerBytes.Load(_adam, archive.GetBytes("adam"));

    public override void Dispose()
    {
        _adam.Dispose();
        base.Dispose();
    }
}
