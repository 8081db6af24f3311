using MetaRl.Learning.Common;
using MetaRl.Learning.Nets;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace MetaRl.Learning.Algorithms.Mql;

/// <summary>A minibatch of transitions with their context windows ([H, B, features]) and per-sample weights (β, or 1).</summary>
public sealed record Td3Batch(Tensor Observations, Tensor Actions, Tensor Rewards, Tensor NextObservations, Tensor Terminals,
    Tensor Context, Tensor NextContext, Tensor? Weights = null);

/// <summary>What one TD3 update did.</summary>
public readonly record struct Td3Step(double CriticLoss, double ActorLoss, double MeanQ, bool ActorUpdated);

/// <summary>
/// TD3 (Fujimoto et al. 2018) with MQL's context: actor and twin critics each read their own GRU over
/// the last H transitions. One update: the clipped double-Q target with target-policy smoothing, the
/// critics' squared error, and every <c>PolicyDelay</c> updates the actor's −Q1 and Polyak-averaged
/// targets. MQL's adaptation reuses it with per-sample weights (β) and a proximal term
/// λ‖θ − θ_anchor‖² (<see cref="SetAnchor"/>).
/// </summary>
public sealed class Td3Context : IDisposable
{
    private readonly MqlOptions _options;
    private readonly Adam _actorOptimizer;
    private readonly Adam _criticOptimizer;
    private IReadOnlyList<Tensor>? _actorAnchor;
    private IReadOnlyList<Tensor>? _criticAnchor;
    private double _proximal;

    public Td3Context(int observationSize, int actionSize, double actionBound, MqlOptions options, Generator init, ulong noiseSeed)
    {
        _options = options;
        ObservationSize = observationSize;
        ActionSize = actionSize;
        ContextFeatures = actionSize + 1 + observationSize;
        Actor = new ContextActor(observationSize, actionSize, ContextFeatures, options.ContextWidth, options.Hidden, actionBound, init);
        Critic = new ContextCritic(observationSize, actionSize, ContextFeatures, options.ContextWidth, options.Hidden, init);
        ActorTarget = new ContextActor(observationSize, actionSize, ContextFeatures, options.ContextWidth, options.Hidden, actionBound, init);
        CriticTarget = new ContextCritic(observationSize, actionSize, ContextFeatures, options.ContextWidth, options.Hidden, init);
        CopyInto(ActorTarget, Actor);
        CopyInto(CriticTarget, Critic);
        _actorOptimizer = torch.optim.Adam(Actor.parameters(), options.LearningRate);
        _criticOptimizer = torch.optim.Adam(Critic.parameters(), options.LearningRate);
        Noise = new Generator(noiseSeed);
    }

    public int ObservationSize { get; }
    public int ActionSize { get; }
    public int ContextFeatures { get; }
    public ContextActor Actor { get; }
    public ContextCritic Critic { get; }
    public ContextActor ActorTarget { get; }
    public ContextCritic CriticTarget { get; }

    /// <summary>Target-policy smoothing noise (state).</summary>
    public Generator Noise { get; }

    /// <summary>Updates so far (the policy delay counts them; state).</summary>
    public long Updates { get; private set; }

    /// <summary>The TD3 target y = r + γ(1 − terminal)·min(Q1', Q2')(s', clip(π'(s') + clip(ε, ±c), ±bound)).</summary>
    public Tensor Target(Td3Batch b)
    {
        using var _ = no_grad();
        var noise = (randn(b.Actions.shape, generator: Noise) * _options.TargetNoise).clamp(-_options.TargetNoiseClip, _options.TargetNoiseClip);
        var bound = ActorTarget.ActionBound;
        var nextAction = (ActorTarget.call(b.NextObservations, b.NextContext) + noise).clamp(-bound, bound);
        var (q1, q2) = CriticTarget.call(b.NextObservations, nextAction, b.NextContext);
        return b.Rewards + _options.Gamma * (1 - b.Terminals) * minimum(q1, q2);
    }

    /// <summary>One TD3 update on <paramref name="b"/>.</summary>
    public Td3Step Update(Td3Batch b)
    {
        using var scope = NewDisposeScope();
        var y = Target(b);
        var (q1, q2) = Critic.call(b.Observations, b.Actions, b.Context);
        var squared = (q1 - y).square() + (q2 - y).square();
        var criticLoss = Weighted(squared, b.Weights);
        if (_criticAnchor is not null && _proximal != 0) criticLoss = criticLoss + _proximal * Distance(Critic.parameters(), _criticAnchor);
        _criticOptimizer.zero_grad();
        criticLoss.backward();
        _criticOptimizer.step();
        Updates++;

        double actorLossValue = double.NaN;
        bool actorUpdated = Updates % _options.PolicyDelay == 0;
        if (actorUpdated)
        {
            // The critic is frozen for the actor's step: its gradients there would be thrown away (the
            // critic's next step zeroes them first), and without them no gradient flows back through
            // the critic's GRU at all; the actor's gradient is the same.
            var critic = Critic.parameters().ToList();
            foreach (var p in critic) p.requires_grad = false;
            Tensor actorLoss;
            try
            {
                var q = Critic.Q1(b.Observations, Actor.call(b.Observations, b.Context), b.Context);
                actorLoss = Weighted(q, b.Weights).neg();
                if (_actorAnchor is not null && _proximal != 0) actorLoss = actorLoss + _proximal * Distance(Actor.parameters(), _actorAnchor);
                _actorOptimizer.zero_grad();
                actorLoss.backward();
            }
            finally
            {
                foreach (var p in critic) p.requires_grad = true;
            }
            _actorOptimizer.step();
            actorLossValue = actorLoss.ToDouble();
            SoftUpdate(ActorTarget, Actor, _options.Tau);
            SoftUpdate(CriticTarget, Critic, _options.Tau);
        }
        return new Td3Step(criticLoss.ToDouble(), actorLossValue, q1.mean().ToDouble(), actorUpdated);
    }

    /// <summary>
    /// Adds λ‖θ − θ_anchor‖² to both losses, θ_anchor the current parameters (MQL adaptation's proximal
    /// term around the meta-trained values); λ = 0 or a null anchor removes it.
    /// </summary>
    public void SetAnchor(double lambda)
    {
        DisposeAnchors();
        _proximal = lambda;
        if (lambda == 0) return;
        _actorAnchor = Actor.parameters().Select(p => p.detach().clone().DetachFromDisposeScope()).ToList();
        _criticAnchor = Critic.parameters().Select(p => p.detach().clone().DetachFromDisposeScope()).ToList();
    }

    /// <summary>
    /// The proximal weight λ around the anchor that <see cref="SetAnchor"/> took; 0 switches the term
    /// off while keeping the anchor (MQL's phase 1 trains without it, phase 2 with it, both around θ_meta).
    /// </summary>
    public double ProximalWeight
    {
        get => _proximal;
        set => _proximal = _actorAnchor is null && value != 0 ? throw new InvalidOperationException("set an anchor first") : value;
    }

    /// <summary>Fresh Adam moments (MQL resets Adam before adapting to a new task).</summary>
    public void ResetOptimizers()
    {
        foreach (var (opt, module) in new (Adam, nn.Module)[] { (_actorOptimizer, Actor), (_criticOptimizer, Critic) })
        {
            using var fresh = torch.optim.Adam(module.parameters(), _options.LearningRate);
            OptimizerBytes.Load(opt, OptimizerBytes.Save(fresh));
        }
    }

    private static Tensor Weighted(Tensor values, Tensor? weights) => weights is null ? values.mean() : (values * weights).mean();

    private static Tensor Distance(IEnumerable<Parameter> parameters, IReadOnlyList<Tensor> anchor)
    {
        Tensor? total = null;
        int i = 0;
        foreach (var p in parameters)
        {
            var d = (p - anchor[i++]).square().sum();
            total = total is null ? d : total + d;
        }
        return total!;
    }

    public static void CopyInto(nn.Module target, nn.Module source)
    {
        using var _ = no_grad();
        foreach (var (t, s) in target.parameters().Zip(source.parameters())) t.copy_(s);
    }

    private static void SoftUpdate(nn.Module target, nn.Module source, double tau)
    {
        using var _ = no_grad();
        // Two Scalars for all parameters, made once (implicit conversions would make two per parameter).
        using var keep = (1 - tau).ToScalar();
        using var take = tau.ToScalar();
        foreach (var (t, s) in target.parameters().Zip(source.parameters())) t.mul_(keep).add_(s, alpha: take);
    }

    /// <summary>Every network, both optimisers, the noise stream and the update count.</summary>
    public void Save(TensorArchive archive, string prefix)
    {
        foreach (var (name, module) in Modules())
            foreach (var (n, p) in module.named_parameters()) archive.Add($"{prefix}{name}.{n}", p);
        archive.AddBytes($"{prefix}actor_adam", OptimizerBytes.Save(_actorOptimizer));
        archive.AddBytes($"{prefix}critic_adam", OptimizerBytes.Save(_criticOptimizer));
        archive.AddBytes($"{prefix}noise", Checked.GetState(Noise));
        archive.AddInt64($"{prefix}updates", Updates);
    }

    public void Load(TensorArchive archive, string prefix)
    {
        var named = Modules().SelectMany(m => m.Module.named_parameters().Select(p => ($"{prefix}{m.Name}.{p.name}", p.parameter))).ToList();
        foreach (var (name, p) in named)
        {
            if (!archive.TryGet(name, out var e)) throw new InvalidDataException($"state has no entry '{name}'");
            if (!e.Shape.SequenceEqual(p.shape)) throw new InvalidDataException($"'{name}': stored shape [{string.Join(",", e.Shape)}], the network's [{string.Join(",", p.shape)}]");
        }
        using (var scope = NewDisposeScope())
        using (no_grad())
            foreach (var (name, p) in named) p.copy_(archive.ToTensor(name));
        OptimizerBytes.Load(_actorOptimizer, archive.GetBytes($"{prefix}actor_adam"));
        OptimizerBytes.Load(_criticOptimizer, archive.GetBytes($"{prefix}critic_adam"));
        Checked.SetState(Noise, archive.GetBytes($"{prefix}noise"));
        Updates = archive.GetInt64($"{prefix}updates");
    }

    private IEnumerable<(string Name, nn.Module Module)> Modules() =>
        [("actor", Actor), ("critic", Critic), ("actor_target", ActorTarget), ("critic_target", CriticTarget)];

    private void DisposeAnchors()
    {
        foreach (var t in (_actorAnchor ?? []).Concat(_criticAnchor ?? [])) t.Dispose();
        _actorAnchor = _criticAnchor = null;
    }

    public void Dispose()
    {
        DisposeAnchors();
        _actorOptimizer.Dispose();
        _criticOptimizer.Dispose();
        Actor.Dispose();
        Critic.Dispose();
        ActorTarget.Dispose();
        CriticTarget.Dispose();
        Noise.Dispose();
    }
}
