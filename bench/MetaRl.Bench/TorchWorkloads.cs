using MetaRl.Learning.Torch;
using MetaRl.Learning.Torch.Nn;
using MetaRl.Learning.Torch.Optim;

namespace MetaRl.Bench;

/// <summary>
/// The C# side of bench `torch`. Each workload mirrors the function of the same name in
/// bench/reference/torch_workloads.py: same shapes, same operations, same optimizer.
/// </summary>
public static class TorchWorkloads
{
    public static readonly Dictionary<string, int> DefaultReps = new()
    {
        ["mlp_adam"] = 300, ["maml_sine"] = 20, ["maml_sine_parallel"] = 20, ["gru_context"] = 60, ["gru_context_fused"] = 60,
    };

    public static List<double> Run(string name, int reps) => name switch
    {
        "mlp_adam" => MlpAdam(reps),
        "maml_sine" => MamlSine(reps),
        "gru_context" => GruContext(reps),
        "maml_sine_parallel" => MamlSine(reps, parallel: true),
        "gru_context_fused" => GruContext(reps, fused: true),
        _ => throw new ArgumentException($"unknown workload '{name}'"),
    };

    /// <summary>MLP 20 → 64 → 64 → 6 (tanh), batch 256, MSE, backward, Adam step.</summary>
    private static List<double> MlpAdam(int reps)
    {
        using var g = new Generator(1);
        using var net = new Mlp([20, 64, 64, 6], Activation.Tanh, g);
        using var adam = new Adam(net.Parameters(), 1e-3);
        using var x = Tensor.RandN([256, 20], g);
        using var y = Tensor.RandN([256, 6], g);
        return Stats.Time(() =>
        {
            using var scope = new DisposeScope();
            adam.ZeroGrad();
            Functional.MseLoss(net.Forward(x), y).Backward();
            adam.Step();
        }, reps, warmup: 50);
    }

    /// <summary>One MAML meta-iteration: 20 sine tasks, 5 second-order inner SGD steps, net 1 → 40 → 40 → 1 (ReLU), Adam outer step.</summary>
    private static List<double> MamlSine(int reps, bool parallel = false)
    {
        using var g = new Generator(2);
        using var net = new Mlp([1, 40, 40, 1], Activation.Relu, g);
        var parameters = net.Parameters();
        using var adam = new Adam(parameters, 1e-3);
        var tasks = new List<(Tensor Xs, Tensor Ys, Tensor Xq, Tensor Yq)>();
        using var data = new DisposeScope();
        for (int t = 0; t < 20; t++)
        {
            var amp = Tensor.Uniform([1], 0.1, 5.0, g);
            var phase = Tensor.Uniform([1], 0, 2 * Math.PI, g);
            var xs = Tensor.Uniform([10, 1], -5, 5, g);
            var xq = Tensor.Uniform([10, 1], -5, 5, g);
            tasks.Add((xs, amp * (xs + phase).Sin(), xq, amp * (xq + phase).Sin()));
        }
        // The task-parallel form: each task's inner loop and backward on its own core (libtorch's
        // grad accumulation is thread-safe); what a GIL-bound Python loop cannot do.
        void TaskBackward(int t)
        {
            using var scope = new DisposeScope();
            var (xs, ys, xq, yq) = tasks[t];
            IReadOnlyList<Tensor> fast = parameters;
            for (int step = 0; step < 5; step++)
            {
                var loss = Functional.MseLoss(net.Forward(xs, fast), ys);
                var grads = Autograd.Grad(loss, fast, createGraph: true);
                var next = new Tensor[fast.Count];
                for (int i = 0; i < next.Length; i++) next[i] = fast[i] - 0.01 * grads[i];
                fast = next;
            }
            (Functional.MseLoss(net.Forward(xq, fast), yq) / tasks.Count).Backward();
        }
        if (parallel)
        {
            var options = new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount };
            return Stats.Time(() =>
            {
                adam.ZeroGrad();
                Parallel.For(0, tasks.Count, options, TaskBackward);
                adam.Step();
            }, reps, warmup: 5);
        }
        return Stats.Time(() =>
        {
            using var scope = new DisposeScope();
            adam.ZeroGrad();
            Tensor? outer = null;
            foreach (var (xs, ys, xq, yq) in tasks)
            {
                IReadOnlyList<Tensor> fast = parameters;
                for (int step = 0; step < 5; step++)
                {
                    var loss = Functional.MseLoss(net.Forward(xs, fast), ys);
                    var grads = Autograd.Grad(loss, fast, createGraph: true);
                    var next = new Tensor[fast.Count];
                    for (int i = 0; i < next.Length; i++) next[i] = fast[i] - 0.01 * grads[i];
                    fast = next;
                }
                var taskLoss = Functional.MseLoss(net.Forward(xq, fast), yq);
                outer = outer is null ? taskLoss : outer + taskLoss;
            }
            (outer! / tasks.Count).Backward();
            adam.Step();
        }, reps, warmup: 5);
    }

    /// <summary>GRU context encoder: history 20, batch 256, input 27, hidden 32; final state through a linear head; forward + backward.</summary>
    private static List<double> GruContext(int reps, bool fused = false)
    {
        using var g = new Generator(3);
        using var gru = new Gru(27, 32, g, fused: fused);
        using var head = new Linear(32, 1, g);
        using var x = Tensor.RandN([20, 256, 27], g);
        var parameters = gru.Parameters().Concat(head.Parameters()).ToList();
        return Stats.Time(() =>
        {
            using var scope = new DisposeScope();
            foreach (var p in parameters) p.Grad = null;
            var (_, h) = gru.Forward(x);
            head.Forward(h.Select(0, -1)).Square().Mean().Backward();
        }, reps, warmup: 10);
    }
}
