using MetaRl.Learning.Algorithms.Meta;
using MetaRl.Learning.Environments;
using MetaRl.Learning.Torch;
using MetaRl.Learning.Torch.Nn;
using MetaRl.Learning.Torch.Optim;
using MetaRl.Learning.Torch.Serialization;

namespace MetaRl.Learning.Algorithms.Supervised;

/// <summary>
/// MAML for regression (Finn et al. 2017): per task, K inner SGD steps on the support set, kept
/// differentiable; the meta-loss is the weighted mean over tasks of the adapted query MSE,
/// minimised by Adam (second order). Tasks run in parallel on the machine's cores, each task's
/// meta-gradient on its own thread; the gradients are then summed in task order, so the result does
/// not depend on which thread finished first (floating-point sums are order-sensitive).
/// </summary>
public sealed class SupervisedMaml : SupervisedMetaLearner
{
    private readonly Adam _adam;

    public SupervisedMaml(ISupervisedTaskFamily family, SupervisedOptions options, ulong seed) : base(family, options, seed)
    {
        _adam = new Adam(Theta, options.OuterLearningRate);
    }

    public override string Name => "maml";

    public override IterationReport Iterate(TaskBatch batch, ITaskFilter filter, int iteration)
    {
        int n = batch.Tasks.Count;
        ulong phase = PhaseSeed(iteration);
        var losses = new Tensor[n];
        var scores = new double[n];
        var preScores = new double[n];
        ForEachTask(n, i =>
        {
            var (xs, ys, xq, yq) = Data(batch.Tasks[i], phase, i);
            preScores[i] = -Loss(Theta, xq, yq);
            var adapted = Adapt(Theta, xs, ys, createGraph: true);
            losses[i] = DisposeScope.Detach(Functional.MseLoss(Net.Forward(xq, adapted), yq));
            scores[i] = -losses[i].Item();
        });
        var weights = TaskWeights.Combine(batch.Weights, filter.Weights(scores));
        var gradients = new Tensor[n][];
        ForEachTask(n, i =>
        {
            if (weights[i] != 0) gradients[i] = Autograd.Grad(losses[i], Theta).Select(DisposeScope.Detach).ToArray();
            losses[i].Dispose();
        });
        using (var sum = new DisposeScope())
        {
            var total = Theta.Select(t => t.Detach().ZerosLike()).ToArray();
            for (int i = 0; i < n; i++)
            {
                if (gradients[i] is null) continue;
                for (int p = 0; p < total.Length; p++)
                {
                    total[p].AddInPlace(gradients[i][p], weights[i] / n);
                    gradients[i][p].Dispose();
                }
            }
            _adam.Step(total);
        }
        return new IterationReport(scores, preScores, weights, (long)n * (Options.SupportPoints + Options.QueryPoints),
            new Dictionary<string, double> { ["meta_loss"] = -scores.Zip(weights, (s, w) => s * w).Average() });
    }

    protected override void SaveExtra(TensorArchive archive)
    {
        foreach (var e in _adam.SaveState().Entries) archive.Add(e with { Name = "adam." + e.Name });
    }

    protected override void LoadExtra(TensorArchive archive)
    {
        var adam = new TensorArchive();
        foreach (var e in archive.Entries.Where(e => e.Name.StartsWith("adam.", StringComparison.Ordinal))) adam.Add(e with { Name = e.Name[5..] });
        _adam.LoadState(adam);
    }

    public override void Dispose()
    {
        _adam.Dispose();
        base.Dispose();
    }
}
