using MetaRl.Learning.Algorithms.Mql;
using MetaRl.Learning.Nets;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace MetaRl.Bench;

/// <summary>
/// The C# side of bench `torch`, on TorchSharp. Each workload computes what the function of the same
/// name in bench/reference/torch_workloads.py computes — same shapes, same operations, same
/// optimiser — with the project's own building blocks (<see cref="Mlp"/>, <see cref="Checked"/>).
/// maml_sine is the batched form the learners use: the 20 tasks' adapted parameters stacked along a
/// task dimension, all inner steps in batched matrix products, second order kept.
/// </summary>
public static class TorchWorkloads
{
    public static readonly Dictionary<string, int> DefaultReps = new()
    {
        ["mlp_adam"] = 300, ["maml_sine"] = 20, ["gru_context"] = 60, ["td3_context"] = 30,
        ["td3_linear"] = 200, ["td3_gru"] = 60, ["td3_adam"] = 200,
    };

    public static List<double> Run(string name, int reps) => name switch
    {
        "mlp_adam" => MlpAdam(reps),
        "maml_sine" => MamlSine(reps),
        "gru_context" => GruContext(reps),
        "td3_context" => Td3ContextUpdate(reps),
        "td3_linear" => Td3Linear(reps),
        "td3_gru" => Td3Gru(reps),
        "td3_adam" => Td3Adam(reps),
        _ => throw new ArgumentException($"unknown workload '{name}'"),
    };

    /// <summary>MLP 20 → 64 → 64 → 6 (tanh), batch 256, MSE, backward, Adam step.</summary>
    private static List<double> MlpAdam(int reps)
    {
        var g = new Generator(1);
        using var net = new Mlp([20, 64, 64, 6], Activation.Tanh, g);
        using var adam = optim.Adam(net.Parameters.Cast<Parameter>(), 1e-3);
        var x = randn([256, 20], generator: g).DetachFromDisposeScope();
        var y = randn([256, 6], generator: g).DetachFromDisposeScope();
        return Stats.Time(() =>
        {
            using var scope = NewDisposeScope();
            adam.zero_grad();
            nn.functional.mse_loss(net.call(x), y).backward();
            adam.step();
        }, reps, warmup: 50);
    }

    /// <summary>One MAML meta-iteration: 20 sine tasks, 5 second-order inner SGD steps, net 1 → 40 → 40 → 1 (ReLU), Adam outer step.</summary>
    private static List<double> MamlSine(int reps)
    {
        const int tasks = 20;
        var g = new Generator(2);
        using var net = new Mlp([1, 40, 40, 1], Activation.Relu, g);
        using var adam = optim.Adam(net.Parameters.Cast<Parameter>(), 1e-3);
        Tensor xs, ys, xq, yq;
        using (var data = NewDisposeScope())
        {
            var amp = 0.1 + 4.9 * rand([tasks, 1, 1], generator: g);
            var phase = 2 * Math.PI * rand([tasks, 1, 1], generator: g);
            xs = (-5 + 10 * rand([tasks, 10, 1], generator: g)).DetachFromDisposeScope();
            xq = (-5 + 10 * rand([tasks, 10, 1], generator: g)).DetachFromDisposeScope();
            ys = (amp * (xs + phase).sin()).DetachFromDisposeScope();
            yq = (amp * (xq + phase).sin()).DetachFromDisposeScope();
        }
        // Per-task mean squared error, [tasks].
        Tensor Losses(IReadOnlyList<Tensor> p, Tensor x, Tensor y) => (net.ForwardBatched(x, p) - y).square().mean([1, 2]);
        return Stats.Time(() =>
        {
            using var scope = NewDisposeScope();
            adam.zero_grad();
            var fast = Mlp.Stack(net.Parameters, tasks);
            for (int step = 0; step < 5; step++)
            {
                // The sum of the tasks' losses: its gradient with respect to task t's copy is task t's own gradient.
                var grads = Checked.Grad(Losses(fast, xs, ys).sum(), fast, createGraph: true);
                fast = fast.Zip(grads, (w, gw) => w - 0.01 * gw).ToList();
            }
            Losses(fast, xq, yq).mean().backward();
            adam.step();
        }, reps, warmup: 5);
    }

    /// <summary>
    /// One TD3 update with MQL's context at HalfCheetah-Vel's sizes, through the learner's own
    /// <see cref="Td3Context"/> (policy delay 1: target, critic step, actor step, Polyak update every call).
    /// </summary>
    private static List<double> Td3ContextUpdate(int reps)
    {
        const int obs = 20, act = 6, hist = 20, feat = 27, batch = 256;
        var options = new MqlOptions { PolicyDelay = 1, History = hist, ContextWidth = 15 };
        using var td3 = new Td3Context(obs, act, 1.0, options, new Generator(4), 5);
        var g = new Generator(4);
        var data = new Td3Batch(randn([batch, obs], generator: g).DetachFromDisposeScope(), (rand([batch, act], generator: g) * 2 - 1).DetachFromDisposeScope(),
            randn([batch], generator: g).DetachFromDisposeScope(), randn([batch, obs], generator: g).DetachFromDisposeScope(), zeros(batch).DetachFromDisposeScope(),
            randn([hist, batch, feat], generator: g).DetachFromDisposeScope(), randn([hist, batch, feat], generator: g).DetachFromDisposeScope());
        return Stats.Time(() => td3.Update(data), reps, warmup: 5);
    }

    /// <summary>GRU context encoder: history 20, batch 256, input 27, hidden 32; final state through a linear head; forward + backward.</summary>
    private static List<double> GruContext(int reps)
    {
        manual_seed(3);
        using var gru = nn.GRU(27, 32);
        using var head = nn.Linear(32, 1);
        var x = randn([20, 256, 27], generator: new Generator(3)).DetachFromDisposeScope();
        return Stats.Time(() =>
        {
            using var scope = NewDisposeScope();
            gru.zero_grad();
            head.zero_grad();
            var (_, h) = gru.call(x);
            head.call(h[-1]).square().mean().backward();
        }, reps, warmup: 10);
    }

    // Pieces of td3_context (the same in torch_workloads.py), to see where a difference comes from.

    /// <summary>One critic head's forward and backward: 341 → 300 → 300 → 1 (ReLU), batch 256.</summary>
    private static List<double> Td3Linear(int reps)
    {
        var g = new Generator(5);
        using var head = new Mlp([341, 300, 300, 1], Activation.Relu, g);
        var x = randn([256, 341], generator: g).DetachFromDisposeScope();
        return Stats.Time(() =>
        {
            using var scope = NewDisposeScope();
            head.zero_grad();
            head.call(x).sum().backward();
        }, reps, warmup: 20);
    }

    /// <summary>The GRU context encoder's forward and backward: history 20, batch 256, 27 → 15.</summary>
    private static List<double> Td3Gru(int reps)
    {
        var g = new Generator(5);
        using var gru = nn.GRU(27, 15);
        var c = randn([20, 256, 27], generator: g).DetachFromDisposeScope();
        return Stats.Time(() =>
        {
            using var scope = NewDisposeScope();
            gru.zero_grad();
            var (_, h) = gru.call(c);
            h[0].sum().backward();
        }, reps, warmup: 10);
    }

    /// <summary>An Adam step (TorchSharp's, as the learners use it) over the critic's parameters (GRU 27 → 15 and two 41 → 300 → 300 → 1 heads) with fixed gradients.</summary>
    private static List<double> Td3Adam(int reps)
    {
        var g = new Generator(5);
        using var gru = nn.GRU(27, 15);
        using var head1 = new Mlp([41, 300, 300, 1], Activation.Relu, g);
        using var head2 = new Mlp([41, 300, 300, 1], Activation.Relu, g);
        var parameters = gru.parameters().Concat(head1.parameters()).Concat(head2.parameters()).ToList();
        using (var scope = NewDisposeScope())
            foreach (var p in parameters) (p * randn(p.shape, generator: g)).sum().backward();
        using var adam = optim.Adam(parameters, 1e-3);
        return Stats.Time(() => adam.step(), reps, warmup: 20);
    }
}
