using MetaRl.Learning.Nets;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace MetaRl.Learning.Algorithms.Mql;

/// <summary>
/// MQL's context encoder: a one-layer GRU over the last H transitions' (action, reward, observation),
/// its final hidden state the context. Input [H, batch, features] (oldest first), output [batch, width].
/// Initialised like PyTorch's GRU, U(−1/√width, 1/√width), from the run's generator.
/// </summary>
public sealed class ContextEncoder : nn.Module<Tensor, Tensor>
{
    private readonly GRU gru;

    public ContextEncoder(long features, long width, Generator generator) : base(nameof(ContextEncoder))
    {
        Features = features;
        Width = width;
        gru = nn.GRU(features, width);
        RegisterComponents();
        double bound = 1.0 / Math.Sqrt(width);
        using (no_grad())
            foreach (var p in gru.parameters()) p.uniform_(-bound, bound, generator);
    }

    public long Features { get; }
    public long Width { get; }

    public override Tensor forward(Tensor context)
    {
        if (context.dim() != 3 || context.shape[2] != Features)
            throw new ArgumentException($"context must be [history, batch, {Features}], got [{string.Join(", ", context.shape)}]", nameof(context));
        var (_, hidden) = gru.call(context);
        return hidden[0];
    }
}

/// <summary>TD3's actor with a context: a = bound · tanh(MLP([observation, GRU(context)])).</summary>
public sealed class ContextActor : nn.Module<Tensor, Tensor, Tensor>
{
    private readonly ContextEncoder context;
    private readonly Mlp body;

    public ContextActor(int observationSize, int actionSize, int contextFeatures, int contextWidth, IReadOnlyList<int> hidden, double actionBound, Generator generator)
        : base(nameof(ContextActor))
    {
        ActionBound = actionBound;
        context = new ContextEncoder(contextFeatures, contextWidth, generator);
        body = new Mlp([observationSize + contextWidth, .. hidden.Select(h => (long)h), actionSize], Activation.Relu, generator, Activation.Tanh);
        RegisterComponents();
    }

    public double ActionBound { get; }

    /// <summary>The context encoder's output for <paramref name="contextWindow"/> (MQL's propensity features).</summary>
    public Tensor Context(Tensor contextWindow) => context.call(contextWindow);

    public override Tensor forward(Tensor observation, Tensor contextWindow) =>
        body.call(cat([observation, context.call(contextWindow)], 1)) * ActionBound;
}

/// <summary>TD3's twin critics with a context: Q1, Q2 = MLP_i([observation, action, GRU(context)]), one GRU shared by both.</summary>
public sealed class ContextCritic : nn.Module<Tensor, Tensor, Tensor, (Tensor Q1, Tensor Q2)>
{
    private readonly ContextEncoder context;
    private readonly Mlp q1;
    private readonly Mlp q2;

    public ContextCritic(int observationSize, int actionSize, int contextFeatures, int contextWidth, IReadOnlyList<int> hidden, Generator generator)
        : base(nameof(ContextCritic))
    {
        context = new ContextEncoder(contextFeatures, contextWidth, generator);
        long input = observationSize + actionSize + contextWidth;
        q1 = new Mlp([input, .. hidden.Select(h => (long)h), 1], Activation.Relu, generator);
        q2 = new Mlp([input, .. hidden.Select(h => (long)h), 1], Activation.Relu, generator);
        RegisterComponents();
    }

    public override (Tensor Q1, Tensor Q2) forward(Tensor observation, Tensor action, Tensor contextWindow)
    {
        var x = cat([observation, action, context.call(contextWindow)], 1);
        return (q1.call(x).squeeze(1), q2.call(x).squeeze(1));
    }

    /// <summary>Q1 alone (the actor's objective).</summary>
    public Tensor Q1(Tensor observation, Tensor action, Tensor contextWindow) =>
        q1.call(cat([observation, action, context.call(contextWindow)], 1)).squeeze(1);
}
