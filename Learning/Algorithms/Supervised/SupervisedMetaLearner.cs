using MetaRl.Learning.Algorithms.Meta;
using MetaRl.Learning.Common;
using MetaRl.Learning.Environments;
using MetaRl.Learning.Torch;
using MetaRl.Learning.Torch.Nn;
using MetaRl.Learning.Torch.Serialization;

namespace MetaRl.Learning.Algorithms.Supervised;

/// <summary>
/// What supervised MAML and Reptile share: the regression net, per-task support/query sets drawn
/// from a seeded stream, SGD adaptation, the score −(query MSE after adaptation), task-parallel
/// evaluation, and state.
/// </summary>
public abstract class SupervisedMetaLearner : IMetaLearner
{
    private readonly ulong _seed;
    private readonly ParallelOptions _parallel;

    protected SupervisedMetaLearner(ISupervisedTaskFamily family, SupervisedOptions options, ulong seed)
    {
        var errors = options.Validate();
        if (errors.Count > 0) throw new ArgumentException(string.Join("; ", errors), nameof(options));
        Family = family;
        SupervisedFamily = family;
        Options = options;
        _seed = seed;
        using var init = new Generator(RandomStream.FromKeys(seed, 1).NextUInt64());
        Net = new Mlp([family.InputSize, .. options.Hidden.Select(h => (long)h), family.OutputSize], Activation.Relu, init);
        Theta = Net.Parameters();
        _parallel = new ParallelOptions { MaxDegreeOfParallelism = options.Threads > 0 ? options.Threads : Environment.ProcessorCount };
    }

    public abstract string Name { get; }
    public ITaskFamily Family { get; }
    protected ISupervisedTaskFamily SupervisedFamily { get; }
    public SupervisedOptions Options { get; }
    protected Mlp Net { get; }
    protected IReadOnlyList<Tensor> Theta { get; }

    public abstract IterationReport Iterate(TaskBatch batch, ITaskFilter filter, int iteration);

    /// <summary>Support and query sets of task <paramref name="index"/> in a phase, from their own stream.</summary>
    protected (Tensor Xs, Tensor Ys, Tensor Xq, Tensor Yq) Data(MetaTask task, ulong phaseSeed, int index)
    {
        var rng = RandomStream.FromKeys(phaseSeed, (ulong)index);
        var (xs, ys) = SupervisedFamily.SampleBatch(task, Options.SupportPoints, rng);
        var (xq, yq) = SupervisedFamily.SampleBatch(task, Options.QueryPoints, rng);
        int i = SupervisedFamily.InputSize, o = SupervisedFamily.OutputSize;
        return (Tensor.From(xs, [Options.SupportPoints, i]), Tensor.From(ys, [Options.SupportPoints, o]),
                Tensor.From(xq, [Options.QueryPoints, i]), Tensor.From(yq, [Options.QueryPoints, o]));
    }

    protected ulong PhaseSeed(int iteration) => RandomStream.FromKeys(_seed, 7, (ulong)iteration).NextUInt64();

    /// <summary>Inner SGD steps on the support set; with <paramref name="createGraph"/> the result stays differentiable in θ.</summary>
    protected IReadOnlyList<Tensor> Adapt(IReadOnlyList<Tensor> theta, Tensor xs, Tensor ys, bool createGraph)
    {
        IReadOnlyList<Tensor> fast = theta;
        for (int s = 0; s < Options.InnerSteps; s++)
        {
            var loss = Functional.MseLoss(Net.Forward(xs, fast), ys);
            var grads = Autograd.Grad(loss, fast, createGraph: createGraph);
            var next = new Tensor[fast.Count];
            for (int p = 0; p < next.Length; p++)
            {
                next[p] = fast[p] - Options.InnerLearningRate * grads[p];
                if (!createGraph)
                {
                    next[p] = next[p].Detach();
                    next[p].RequiresGrad = true;
                }
            }
            fast = next;
        }
        return fast;
    }

    protected double Loss(IReadOnlyList<Tensor> theta, Tensor x, Tensor y)
    {
        using var _ = Autograd.NoGrad();
        return Functional.MseLoss(Net.Forward(x, theta), y).Item();
    }

    /// <summary>Runs <paramref name="body"/> for every task, in parallel, each in its own dispose scope and grad mode.</summary>
    protected void ForEachTask(int count, Action<int> body) => Parallel.For(0, count, _parallel, i =>
    {
        using var scope = new DisposeScope();
        using var mode = Autograd.EnableGrad();
        body(i);
    });

    public EvaluationScores Evaluate(IReadOnlyList<MetaTask> tasks, ulong seed)
    {
        var pre = new double[tasks.Count];
        var post = new double[tasks.Count];
        ForEachTask(tasks.Count, i =>
        {
            var (xs, ys, xq, yq) = Data(tasks[i], seed, i);
            var leaves = Theta.Select(t => { var l = t.Detach(); l.RequiresGrad = true; return l; }).ToList();
            pre[i] = -Loss(leaves, xq, yq);
            post[i] = -Loss(Adapt(leaves, xs, ys, createGraph: false), xq, yq);
        });
        return new EvaluationScores(pre, post);
    }

    public byte[] SaveParameters() => Net.StateDict().ToBytes();

    public void LoadParameters(byte[] parameters) => Net.LoadStateDict(TensorArchive.FromBytes(parameters));

    public TensorArchive SaveState()
    {
        var archive = Net.StateDict();
        SaveExtra(archive);
        return archive;
    }

    public void LoadState(TensorArchive state)
    {
        Net.LoadStateDict(state);
        LoadExtra(state);
    }

    protected virtual void SaveExtra(TensorArchive archive)
    {
    }

    protected virtual void LoadExtra(TensorArchive archive)
    {
    }

    public virtual void Dispose()
    {
        Net.Dispose();
        GC.SuppressFinalize(this);
    }
}
