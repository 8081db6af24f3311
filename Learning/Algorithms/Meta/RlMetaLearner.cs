using MetaRl.Learning.Algorithms.Policies;
using MetaRl.Learning.Algorithms.Sampling;
using MetaRl.Learning.Common;
using MetaRl.Learning.Environments;
using MetaRl.Learning.Nets;
using static TorchSharp.torch;

namespace MetaRl.Learning.Algorithms.Meta;

/// <summary>
/// What the gradient-based RL meta-learners share: the policy θ, the rollout sampler, the action
/// stream, per-iteration environment seeds, evaluation (adapt with one inner step, score the
/// adapted policy), and state. Each algorithm writes its own <see cref="Iterate"/>.
/// </summary>
public abstract class RlMetaLearner : IMetaLearner
{
    private readonly ulong _seed;

    protected RlMetaLearner(IRlTaskFamily family, RlLearnerOptions options, ulong seed)
    {
        var errors = options.Validate();
        if (errors.Count > 0) throw new ArgumentException(string.Join("; ", errors), nameof(options));
        TorchRuntime.Initialize();
        Family = family;
        RlFamily = family;
        Options = options;
        _seed = seed;
        using var init = new Generator(RandomStream.FromKeys(seed, 1).NextUInt64());
        Policy = PolicyFactory.For(family, options.Hidden, init);
        Actions = new Generator(RandomStream.FromKeys(seed, 2).NextUInt64());
        Sampler = new RolloutSampler(family, Policy, options.Threads);
    }

    public abstract string Name { get; }
    public ITaskFamily Family { get; }
    protected IRlTaskFamily RlFamily { get; }
    public RlLearnerOptions Options { get; }
    public IPolicy Policy { get; }
    /// <summary>The sampler every phase of the learner collects episodes with.</summary>
    public RolloutSampler Sampler { get; }

    /// <summary>The stream actions are drawn from during training (part of the state).</summary>
    protected Generator Actions { get; }

    public abstract IterationReport Iterate(TaskBatch batch, ITaskFilter filter, int iteration);

    /// <summary>Seed of the environments of an iteration's sampling phase.</summary>
    protected ulong PhaseSeed(int iteration, int phase) => RandomStream.FromKeys(_seed, 3, (ulong)iteration, (ulong)phase).NextUInt64();

    /// <summary>Episodes for each task, every task with the same parameters.</summary>
    protected IReadOnlyList<EpisodeBatch> SampleWith(IReadOnlyList<Tensor> theta, IReadOnlyList<MetaTask> tasks, ulong seed, Generator actions) =>
        Sampler.Sample(tasks, Enumerable.Repeat(theta, tasks.Count).ToList(), Options.EpisodesPerTask, seed, actions);

    protected StepTensors ToSteps(EpisodeBatch batch) =>
        new(batch, Advantages.Gae(batch, Options.Gamma, Options.Lambda, Options.NormalizeAdvantages));

    /// <summary>
    /// What MAML-style learners collect in an iteration: pre-update episodes (θ), the adapted
    /// parameters θ'_i (detached), post-update episodes (θ'_i) and their scores, the task weights, and
    /// the adapted policies' log-probabilities of the post-update actions ("old" for the surrogate).
    /// The step tensors are owned by the round (<see cref="DisposeSteps"/>).
    /// </summary>
    protected sealed record AdaptationRound(
        IReadOnlyList<EpisodeBatch> Pre,
        IReadOnlyList<StepTensors> PreData,
        IReadOnlyList<IReadOnlyList<Tensor>> Adapted,
        IReadOnlyList<EpisodeBatch> Post,
        IReadOnlyList<StepTensors> PostData,
        double[] Scores,
        double[] Weights,
        IReadOnlyList<Tensor> OldLogProbs)
    {
        public long Steps => Pre.Sum(b => (long)b.Steps) + Post.Sum(b => (long)b.Steps);
        public int BadPhysicsEpisodes => Pre.Sum(b => b.BadPhysicsEpisodes) + Post.Sum(b => b.BadPhysicsEpisodes);
        public double[] PreScores => Pre.Select(b => b.MeanReturn()).ToArray();

        public void DisposeSteps()
        {
            foreach (var d in PreData.Concat(PostData)) d.Dispose();
        }
    }

    protected AdaptationRound SampleAndAdapt(TaskBatch batch, ITaskFilter filter, int iteration)
    {
        var tasks = batch.Tasks;
        var pre = SampleWith(Policy.Parameters, tasks, PhaseSeed(iteration, 0), Actions);
        var preData = pre.Select(ToSteps).ToList();
        var adapted = preData.Select(AdaptForSampling).ToList();
        var post = Sampler.Sample(tasks, adapted, Options.EpisodesPerTask, PhaseSeed(iteration, 1), Actions);
        var postData = post.Select(ToSteps).ToList();
        var scores = post.Select(b => b.MeanReturn()).ToArray();
        var weights = TaskWeights.Combine(batch.Weights, filter.Weights(scores));
        var oldLogp = Enumerable.Range(0, tasks.Count).Select(i => PolicyGradient.LogProbs(Policy, adapted[i], postData[i]).detach()).ToList();
        return new AdaptationRound(pre, preData, adapted, post, postData, scores, weights, oldLogp);
    }

    /// <summary>One inner step per task on pre-update data (detached: for sampling).</summary>
    protected virtual IReadOnlyList<Tensor> AdaptForSampling(StepTensors preData) =>
        PolicyGradient.Adapt(Policy, Policy.Parameters, preData, Options.InnerLearningRate, createGraph: false);

    public virtual EvaluationScores Evaluate(IReadOnlyList<MetaTask> tasks, ulong seed, IProgress<int>? progress = null)
    {
        using var scope = NewDisposeScope();
        using var actions = new Generator(RandomStream.FromKeys(seed, 4).NextUInt64());
        var pre = SampleWith(Policy.Parameters, tasks, RandomStream.FromKeys(seed, 5).NextUInt64(), actions);
        var adapted = pre.Select(b =>
        {
            using var data = ToSteps(b);
            return AdaptForSampling(data);
        }).ToList();
        var post = Sampler.Sample(tasks, adapted, Options.EpisodesPerTask, RandomStream.FromKeys(seed, 6).NextUInt64(), actions);
        progress?.Report(tasks.Count); // every task's episodes are sampled together
        return new EvaluationScores(pre.Select(b => b.MeanReturn()).ToArray(), post.Select(b => b.MeanReturn()).ToArray());
    }

    public byte[] SaveParameters()
    {
        var archive = new TensorArchive();
        for (int i = 0; i < Policy.Parameters.Count; i++) archive.Add($"policy.{i}", Policy.Parameters[i]);
        return archive.ToBytes();
    }

    public void LoadParameters(byte[] parameters) => LoadPolicy(TensorArchive.FromBytes(parameters));

    private void LoadPolicy(TensorArchive archive)
    {
        for (int i = 0; i < Policy.Parameters.Count; i++)
        {
            var e = archive.Get($"policy.{i}");
            if (!e.Shape.SequenceEqual(Policy.Parameters[i].shape)) throw new InvalidDataException($"policy.{i} has shape [{string.Join(",", e.Shape)}], the policy [{string.Join(",", Policy.Parameters[i].shape)}]");
        }
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        for (int i = 0; i < Policy.Parameters.Count; i++) Policy.Parameters[i].copy_(archive.ToTensor($"policy.{i}"));
    }

    public TensorArchive SaveState()
    {
        var archive = TensorArchive.FromBytes(SaveParameters());
        archive.AddBytes("actions", Checked.GetState(Actions));
        SaveExtra(archive);
        return archive;
    }

    public void LoadState(TensorArchive state)
    {
        LoadPolicy(state);
        Checked.SetState(Actions, state.GetBytes("actions"));
        LoadExtra(state);
    }

    /// <summary>Algorithm state beyond θ and the action stream (optimizer moments, penalty coefficients).</summary>
    protected virtual void SaveExtra(TensorArchive archive)
    {
    }

    protected virtual void LoadExtra(TensorArchive archive)
    {
    }

    protected static Dictionary<string, double> Diagnostics(params (string Key, double Value)[] values) => values.ToDictionary(v => v.Key, v => v.Value);

    public virtual void Dispose()
    {
        Policy.Dispose();
        Actions.Dispose();
        GC.SuppressFinalize(this);
    }
}
