using MetaRl.Learning.Algorithms.Meta;
using MetaRl.Learning.Common;
using MetaRl.Learning.Environments;
using MetaRl.Learning.Nets;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace MetaRl.Learning.Algorithms.Recurrent;

/// <summary>
/// RL² (Duan et al. 2016) and E-RL² (Stadie et al. 2018) trained with PPO. Each iteration runs
/// <c>TrialsPerTask</c> trials per task of the meta-batch (k episodes each, one hidden state across
/// them), computes GAE over each whole trial (the trial is RL²'s episode) from the objective rewards —
/// E-RL² zeroes the first p episodes' rewards there, while the GRU still sees them — and takes PPO
/// epochs on all trials, each trial's terms weighted by its task's weight (CVaR-ML's filter, RoML's
/// importance weights when asked). A task's score is its exploit return: the mean return of the
/// episodes after the explore ones (RL²: the last episode); before adaptation, the first episode's.
/// </summary>
public sealed class Rl2Learner : IMetaLearner
{
    private readonly ulong _seed;
    private readonly Adam _adam;
    private readonly Generator _actions;

    public Rl2Learner(IRlTaskFamily family, Rl2Options options, bool explore, ulong seed)
    {
        Family = family;
        RlFamily = family;
        Options = options;
        ExploreEpisodes = explore ? options.ExploreEpisodes : 0;
        _seed = seed;
        TorchRuntime.Initialize();
        Policy = new RecurrentPolicy(family, options.Width, new Generator(RandomStream.FromKeys(seed, 1).NextUInt64()));
        _adam = torch.optim.Adam(Policy.parameters(), options.LearningRate);
        _actions = new Generator(RandomStream.FromKeys(seed, 2).NextUInt64());
        Rollout = new TrialRollout(family, Policy, options.EpisodesPerTrial, options.Threads);
    }

    public string Name => ExploreEpisodes > 0 ? "erl2" : "rl2";
    public ITaskFamily Family { get; }
    public IRlTaskFamily RlFamily { get; }
    public Rl2Options Options { get; }
    public int ExploreEpisodes { get; }
    public RecurrentPolicy Policy { get; }
    private TrialRollout Rollout { get; }

    public IterationReport Iterate(TaskBatch batch, ITaskFilter filter, int iteration)
    {
        int m = Options.TrialsPerTask;
        var entries = batch.Tasks.SelectMany(t => Enumerable.Repeat(t, m)).ToList();
        var trials = Rollout.Run(entries, RandomStream.FromKeys(_seed, 3, (ulong)iteration).NextUInt64(), _actions);
        var (pre, post) = Scores(trials, batch.Tasks.Count);
        var weights = TaskWeights.Combine(batch.Weights, filter.Weights(post));
        var trialWeights = entries.Select((_, i) => (float)weights[i / m]).ToArray();
        var diagnostics = Update(trials, trialWeights, iteration);
        diagnostics["bad_physics_episodes"] = trials.BadPhysicsEpisodes;
        return new IterationReport(post, pre, weights, trials.Lengths.Sum(), diagnostics);
    }

    /// <summary>Per task (over its trials): the first episode's return, and the exploit return.</summary>
    private (double[] Pre, double[] Post) Scores(Trials trials, int tasks)
    {
        int m = trials.Count / tasks, k = Options.EpisodesPerTrial;
        var pre = new double[tasks];
        var post = new double[tasks];
        for (int i = 0; i < trials.Count; i++)
        {
            pre[i / m] += trials.EpisodeReturn(i, 0) / m;
            int from = ExploreEpisodes > 0 ? ExploreEpisodes : k - 1;
            double exploit = 0;
            for (int e = from; e < k; e++) exploit += trials.EpisodeReturn(i, e);
            post[i / m] += exploit / (k - from) / m;
        }
        return (pre, post);
    }

    /// <summary>The rewards the objective sees: E-RL²'s explore episodes' rewards set to zero, everything else as collected.</summary>
    public static float[] ObjectiveRewards(Trials trials, int exploreEpisodes)
    {
        var r = (float[])trials.Rewards.Clone();
        if (exploreEpisodes == 0) return r;
        for (int i = 0; i < r.Length; i++)
            if (trials.Episodes[i] < exploreEpisodes) r[i] = 0;
        return r;
    }

    /// <summary>
    /// GAE(γ, λ) over each trial as one sequence (RL² does not cut at episode ends), bootstrapping 0
    /// after the trial's last step. Returns advantages and value targets, [trial, step].
    /// </summary>
    public static (float[] Advantages, float[] Returns) Gae(Trials trials, float[] rewards, double gamma, double lambda)
    {
        var advantages = new float[rewards.Length];
        var returns = new float[rewards.Length];
        for (int i = 0; i < trials.Count; i++)
        {
            double next = 0, running = 0;
            for (int t = trials.Lengths[i] - 1; t >= 0; t--)
            {
                int k = i * trials.MaxSteps + t;
                double delta = rewards[k] + gamma * next - trials.Values[k];
                running = delta + gamma * lambda * running;
                advantages[k] = (float)running;
                returns[k] = (float)(running + trials.Values[k]);
                next = trials.Values[k];
            }
        }
        return (advantages, returns);
    }

    private Dictionary<string, double> Update(Trials trials, float[] trialWeights, int iteration)
    {
        using var scope = NewDisposeScope();
        int b = trials.Count, steps = trials.MaxSteps;
        var (advantages, returns) = Gae(trials, ObjectiveRewards(trials, ExploreEpisodes), Options.Gamma, Options.Lambda);
        var maskValues = new float[b * steps];
        for (int i = 0; i < b; i++)
            for (int t = 0; t < trials.Lengths[i]; t++) maskValues[i * steps + t] = 1;
        // [trial, step] → [step, trial] to match the GRU's time-major outputs.
        Tensor TimeMajor(float[] v) => TensorValues.FromSpan(v, b, steps).t().contiguous();
        var mask = TimeMajor(maskValues);
        var count = mask.sum();
        var adv = TimeMajor(advantages);
        var mean = (adv * mask).sum() / count;
        var std = (((adv - mean) * mask).square().sum() / count).sqrt() + 1e-8;
        adv = (adv - mean) / std * mask;
        var targets = TimeMajor(returns);
        // The value loss in units of the targets' spread: the GRU is shared by both heads, and a value
        // loss in raw return units (tens to hundreds) would drown the policy's gradient in it.
        var targetMean = (targets * mask).sum() / count;
        var targetScale = (((targets - targetMean) * mask).square().sum() / count).sqrt() + 1e-6;
        var oldLogp = TimeMajor(trials.LogProbs);
        var weights = tensor(trialWeights).unsqueeze(0) * mask;
        var inputs = TensorValues.FromSpan(trials.Inputs, steps, b, trials.InputSize);
        var actions = TensorValues.FromSpan(trials.Actions, steps, b, trials.ActionSize);

        double policyLoss = 0, valueLoss = 0, entropy = 0, approxKl = 0;
        int minibatches = Math.Min(Options.Minibatches, b);
        var order = new int[b];
        for (int epoch = 0; epoch < Options.Epochs; epoch++)
        {
            // Trials shuffled per epoch by a stream keyed on (seed, iteration, epoch): the same after a resume.
            for (int i = 0; i < b; i++) order[i] = i;
            RandomStream.FromKeys(_seed, 6, (ulong)iteration, (ulong)epoch).Shuffle(order.AsSpan());
            for (int mb = 0; mb < minibatches; mb++)
            {
                using var step = NewDisposeScope();
                var picked = order.Skip(mb * b / minibatches).Take((mb + 1) * b / minibatches - mb * b / minibatches).Select(i => (long)i).ToArray();
                var index = tensor(picked);
                var mbMask = mask.index_select(1, index);
                var mbCount = mbMask.sum();
                var mbAdv = adv.index_select(1, index);
                var mbWeights = weights.index_select(1, index);
                var (outputs, _) = Policy.Recur(inputs.index_select(1, index));
                var dist = Policy.Distribution(outputs);
                var logp = dist.LogProb(actions.index_select(1, index));
                var mbOld = oldLogp.index_select(1, index);
                var ratio = (logp - mbOld).exp();
                var surrogate = minimum(ratio * mbAdv, ratio.clamp(1 - Options.Clip, 1 + Options.Clip) * mbAdv);
                var pg = -(surrogate * mbWeights).sum() / mbCount;
                var vf = (((Policy.Value(outputs) - targets.index_select(1, index)) / targetScale).square() * mbWeights).sum() / mbCount;
                var ent = (dist.Entropy() * mbWeights).sum() / mbCount;
                var loss = pg + Options.ValueWeight * vf - Options.EntropyWeight * ent;
                _adam.zero_grad();
                loss.backward();
                if (Options.MaxGradientNorm > 0) nn.utils.clip_grad_norm_(Policy.parameters(), Options.MaxGradientNorm);
                _adam.step();
                policyLoss = pg.ToDouble();
                valueLoss = vf.ToDouble();
                entropy = ent.ToDouble();
                using (no_grad()) approxKl = (((mbOld - logp) * mbMask).sum() / mbCount).ToDouble();
            }
        }
        return new Dictionary<string, double>
        {
            ["policy_loss"] = policyLoss,
            ["value_loss"] = valueLoss,
            ["entropy"] = entropy,
            ["approx_kl"] = approxKl,
        };
    }

    /// <summary>One trial per task (sampled actions: RL² explores by sampling); pre = the first episode, post = the exploit return.</summary>
    public EvaluationScores Evaluate(IReadOnlyList<MetaTask> tasks, ulong seed, IProgress<int>? progress = null)
    {
        using var actions = new Generator(RandomStream.FromKeys(seed, 4).NextUInt64());
        var trials = Rollout.Run(tasks, RandomStream.FromKeys(seed, 5).NextUInt64(), actions);
        progress?.Report(tasks.Count); // every task's trial runs together
        var (pre, post) = Scores(trials, tasks.Count);
        return new EvaluationScores(pre, post);
    }

    public byte[] SaveParameters() => Parameters().ToBytes();

    public void LoadParameters(byte[] parameters) => LoadParameters(TensorArchive.FromBytes(parameters));

    private TensorArchive Parameters()
    {
        var archive = new TensorArchive();
        foreach (var (name, p) in Policy.named_parameters()) archive.Add(name, p);
        return archive;
    }

    private void LoadParameters(TensorArchive archive)
    {
        var named = Policy.named_parameters().ToList();
        foreach (var (name, p) in named)
        {
            if (!archive.TryGet(name, out var e)) throw new InvalidDataException($"state has no entry '{name}'");
            if (!e.Shape.SequenceEqual(p.shape)) throw new InvalidDataException($"'{name}': stored shape [{string.Join(",", e.Shape)}], the policy's [{string.Join(",", p.shape)}]");
        }
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        foreach (var (name, p) in named) p.copy_(archive.ToTensor(name));
    }

    public TensorArchive SaveState()
    {
        var archive = Parameters();
        archive.AddBytes("adam", OptimizerBytes.Save(_adam));
        archive.AddBytes("actions", Checked.GetState(_actions));
        return archive;
    }

    public void LoadState(TensorArchive state)
    {
        LoadParameters(state);
        OptimizerBytes.Load(_adam, state.GetBytes("adam"));
        Checked.SetState(_actions, state.GetBytes("actions"));
    }

    public void Dispose()
    {
        _adam.Dispose();
        Policy.Dispose();
        _actions.Dispose();
    }
}
