using MetaRl.Learning.Algorithms.Meta;
using MetaRl.Learning.Common;
using MetaRl.Learning.Environments;
using MetaRl.Learning.Nets;
using static TorchSharp.torch;

namespace MetaRl.Learning.Algorithms.Supervised;

/// <summary>
/// What supervised MAML and Reptile share: the regression net, per-task support/query sets drawn
/// from a seeded stream, SGD adaptation, the score −(query MSE after adaptation), evaluation and
/// state. Every task of a batch is handled in one batched computation: the tasks' data stacked
/// along a leading task dimension, θ expanded to one copy per task, each inner step a batched
/// forward and one gradient for all tasks (tasks do not interact, so the gradient of the sum of
/// their losses is each task's own gradient).
/// </summary>
public abstract class SupervisedMetaLearner : IMetaLearner
{
    /// <summary>Evaluation handles this many tasks per batched computation (memory stays bounded for thousands of test tasks).</summary>
    private const int EvaluationChunk = 250;

    private readonly ulong _seed;

    protected SupervisedMetaLearner(ISupervisedTaskFamily family, SupervisedOptions options, ulong seed)
    {
        var errors = options.Validate();
        if (errors.Count > 0) throw new ArgumentException(string.Join("; ", errors), nameof(options));
        TorchRuntime.Initialize();
        Family = family;
        SupervisedFamily = family;
        Options = options;
        _seed = seed;
        using var init = new Generator(RandomStream.FromKeys(seed, 1).NextUInt64());
        Net = new Mlp([family.InputSize, .. options.Hidden.Select(h => (long)h), family.OutputSize], Activation.Relu, init);
        Theta = Net.Parameters;
    }

    public abstract string Name { get; }
    public ITaskFamily Family { get; }
    protected ISupervisedTaskFamily SupervisedFamily { get; }
    public SupervisedOptions Options { get; }
    /// <summary>The regression net (θ are its parameters).</summary>
    public Mlp Net { get; }
    protected IReadOnlyList<Tensor> Theta { get; }

    public abstract IterationReport Iterate(TaskBatch batch, ITaskFilter filter, int iteration);

    /// <summary>
    /// Support and query sets of <paramref name="tasks"/> stacked along a task dimension
    /// ([tasks, points, size]); task i's points come from its own stream (the phase seed and i + <paramref name="offset"/>).
    /// </summary>
    protected (Tensor Xs, Tensor Ys, Tensor Xq, Tensor Yq) Data(IReadOnlyList<MetaTask> tasks, ulong phaseSeed, int offset = 0)
    {
        int n = tasks.Count, s = Options.SupportPoints, q = Options.QueryPoints, i = SupervisedFamily.InputSize, o = SupervisedFamily.OutputSize;
        var xs = new float[n * s * i];
        var ys = new float[n * s * o];
        var xq = new float[n * q * i];
        var yq = new float[n * q * o];
        for (int t = 0; t < n; t++)
        {
            var rng = RandomStream.FromKeys(phaseSeed, (ulong)(t + offset));
            SupervisedFamily.SampleBatch(tasks[t], s, rng, xs.AsSpan(t * s * i, s * i), ys.AsSpan(t * s * o, s * o));
            SupervisedFamily.SampleBatch(tasks[t], q, rng, xq.AsSpan(t * q * i, q * i), yq.AsSpan(t * q * o, q * o));
        }
        return (tensor(xs, [n, s, i]), tensor(ys, [n, s, o]), tensor(xq, [n, q, i]), tensor(yq, [n, q, o]));
    }

    protected ulong PhaseSeed(int iteration) => RandomStream.FromKeys(_seed, 7, (ulong)iteration).NextUInt64();

    /// <summary>Each task's mean squared error [tasks] of the net with its own parameters.</summary>
    protected Tensor TaskLosses(IReadOnlyList<Tensor> stacked, Tensor x, Tensor y) => (Net.ForwardBatched(x, stacked) - y).square().mean([1, 2]);

    /// <summary>
    /// The inner SGD steps of every task at once. With <paramref name="createGraph"/> the result stays
    /// differentiable in θ (second order); otherwise each step starts from detached leaves.
    /// </summary>
    protected IReadOnlyList<Tensor> Adapt(IReadOnlyList<Tensor> stacked, Tensor xs, Tensor ys, bool createGraph)
    {
        var fast = stacked;
        for (int step = 0; step < Options.InnerSteps; step++)
        {
            if (!createGraph) fast = fast.Select(p => p.detach().requires_grad_(true)).ToList();
            var grads = Checked.Grad(TaskLosses(fast, xs, ys).sum(), fast, createGraph: createGraph);
            fast = fast.Select((p, k) => p - Options.InnerLearningRate * grads[k]).ToList();
        }
        return createGraph ? fast : fast.Select(p => p.detach()).ToList();
    }

    public EvaluationScores Evaluate(IReadOnlyList<MetaTask> tasks, ulong seed, IProgress<int>? progress = null)
    {
        var pre = new double[tasks.Count];
        var post = new double[tasks.Count];
        for (int start = 0; start < tasks.Count; start += EvaluationChunk)
        {
            using var scope = NewDisposeScope();
            var chunk = tasks.Skip(start).Take(EvaluationChunk).ToList();
            var (xs, ys, xq, yq) = Data(chunk, seed, start);
            var stacked = Mlp.Stack(Theta.Select(t => t.detach()).ToList(), chunk.Count);
            using (no_grad()) TaskLosses(stacked, xq, yq).neg().to_type(ScalarType.Float64).data<double>().CopyTo(pre, start);
            var adapted = Adapt(stacked, xs, ys, createGraph: false);
            using (no_grad()) TaskLosses(adapted, xq, yq).neg().to_type(ScalarType.Float64).data<double>().CopyTo(post, start);
            progress?.Report(start + chunk.Count);
        }
        return new EvaluationScores(pre, post);
    }

    public byte[] SaveParameters() => StateDict().ToBytes();

    public void LoadParameters(byte[] parameters) => LoadStateDict(TensorArchive.FromBytes(parameters));

    public TensorArchive SaveState()
    {
        var archive = StateDict();
        SaveExtra(archive);
        return archive;
    }

    public void LoadState(TensorArchive state)
    {
        LoadStateDict(state);
        LoadExtra(state);
    }

    /// <summary>The net's parameters by name (layers.0.weight, …).</summary>
    private TensorArchive StateDict()
    {
        var archive = new TensorArchive();
        foreach (var (name, value) in Net.named_parameters()) archive.Add(name, value);
        return archive;
    }

    /// <summary>Loads parameters by name; a missing name or a shape mismatch throws and changes nothing.</summary>
    private void LoadStateDict(TensorArchive archive)
    {
        var named = Net.named_parameters().ToList();
        foreach (var (name, value) in named)
        {
            if (!archive.TryGet(name, out var entry)) throw new InvalidDataException($"state has no entry '{name}'");
            if (!entry.Shape.SequenceEqual(value.shape))
                throw new InvalidDataException($"'{name}': stored shape [{string.Join(",", entry.Shape)}], the net's [{string.Join(",", value.shape)}]");
        }
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        foreach (var (name, value) in named) value.copy_(archive.ToTensor(name));
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
