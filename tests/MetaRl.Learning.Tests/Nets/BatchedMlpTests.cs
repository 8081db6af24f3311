using MetaRl.Learning.Nets;
using static TorchSharp.torch;

namespace MetaRl.Learning.Tests.Nets;

/// <summary>
/// The batched meta-batch the learners compute: θ stacked along a task dimension, every task's inner
/// steps at once in batched matrix products. It must equal the task-by-task computation — values,
/// adapted parameters and the second-order meta-gradient.
/// </summary>
[TestClass]
public sealed class BatchedMlpTests
{
    private const int Tasks = 4;

    private static (Tensor X, Tensor Y) Data(Generator g, int rows) =>
        (randn([Tasks, rows, 3], dtype: ScalarType.Float64, generator: g), randn([Tasks, rows, 2], dtype: ScalarType.Float64, generator: g));

    private static Mlp Net() => new([3, 8, 8, 2], Activation.Tanh, new Generator(4), dtype: ScalarType.Float64);

    [TestMethod]
    public void Batched_forward_equals_each_task_through_its_own_parameters()
    {
        using var scope = NewDisposeScope();
        using var net = Net();
        var g = new Generator(1);
        var (x, _) = Data(g, 5);
        // Different parameters per task: θ plus a task-specific perturbation.
        var perTask = Enumerable.Range(0, Tasks).Select(t => net.Parameters.Select(p => p + 0.1 * t * randn_like(p)).ToList()).ToList();
        var stacked = Enumerable.Range(0, net.Parameters.Count).Select(i => stack(perTask.Select(p => p[i]).ToList())).ToList();
        var batched = net.ForwardBatched(x, stacked);
        for (int t = 0; t < Tasks; t++)
        {
            var single = net.Forward(x[t], perTask[t]);
            Assert.IsTrue(allclose(batched[t], single, rtol: 1e-12, atol: 1e-12), $"task {t}");
        }
    }

    [TestMethod]
    public void Batched_second_order_inner_loop_equals_the_task_by_task_loop()
    {
        using var scope = NewDisposeScope();
        using var net = Net();
        var g = new Generator(2);
        var (xs, ys) = Data(g, 6);
        var (xq, yq) = Data(g, 6);
        const double alpha = 0.05;
        const int steps = 3;

        // Task by task: a plain MAML loop.
        Tensor serial = zeros(1, dtype: ScalarType.Float64);
        var serialAdapted = new List<IReadOnlyList<Tensor>>();
        for (int t = 0; t < Tasks; t++)
        {
            IReadOnlyList<Tensor> fast = net.Parameters;
            for (int s = 0; s < steps; s++)
            {
                var loss = (net.Forward(xs[t], fast) - ys[t]).square().mean();
                var grads = Checked.Grad(loss, fast, createGraph: true);
                fast = fast.Zip(grads, (w, gw) => w - alpha * gw).ToList();
            }
            serialAdapted.Add(fast);
            serial = serial + (net.Forward(xq[t], fast) - yq[t]).square().mean();
        }
        var serialGrad = Checked.Grad(serial.sum() / Tasks, net.Parameters);

        // All tasks at once.
        var stacked = Mlp.Stack(net.Parameters, Tasks);
        for (int s = 0; s < steps; s++)
        {
            var losses = (net.ForwardBatched(xs, stacked) - ys).square().mean([1, 2]);
            var grads = Checked.Grad(losses.sum(), stacked, createGraph: true);
            stacked = stacked.Zip(grads, (w, gw) => w - alpha * gw).ToList();
        }
        var batched = (net.ForwardBatched(xq, stacked) - yq).square().mean([1, 2]).mean();
        var batchedGrad = Checked.Grad(batched, net.Parameters);

        Assert.AreEqual(serial.item<double>() / Tasks, batched.item<double>(), 1e-12, "meta-loss");
        for (int t = 0; t < Tasks; t++)
            for (int i = 0; i < stacked.Count; i++)
                Assert.IsTrue(allclose(stacked[i][t], serialAdapted[t][i], rtol: 1e-10, atol: 1e-12), $"task {t} adapted parameter {i}");
        for (int i = 0; i < serialGrad.Count; i++)
            Assert.IsTrue(allclose(batchedGrad[i], serialGrad[i], rtol: 1e-9, atol: 1e-12), $"meta-gradient of parameter {i}");
    }

    [TestMethod]
    public void Batched_maml_meta_gradient_matches_finite_differences()
    {
        // θ of a 2 → 3 → 1 net as the check's inputs; the meta-loss of two tasks after two inner steps.
        using var scope = NewDisposeScope();
        using var net = new Mlp([2, 3, 1], Activation.Tanh, new Generator(5), dtype: ScalarType.Float64);
        var g = new Generator(6);
        var xs = randn([2, 4, 2], dtype: ScalarType.Float64, generator: g);
        var ys = randn([2, 4, 1], dtype: ScalarType.Float64, generator: g);
        var xq = randn([2, 4, 2], dtype: ScalarType.Float64, generator: g);
        var yq = randn([2, 4, 1], dtype: ScalarType.Float64, generator: g);
        Tensor MetaLoss(Tensor[] theta)
        {
            var stacked = Mlp.Stack(theta, 2);
            for (int s = 0; s < 2; s++)
            {
                var grads = Checked.Grad((net.ForwardBatched(xs, stacked) - ys).square().mean([1, 2]).sum(), stacked, createGraph: true);
                stacked = stacked.Zip(grads, (w, gw) => w - 0.3 * gw).ToList();
            }
            return (net.ForwardBatched(xq, stacked) - yq).square().mean();
        }
        GradCheck.Verify(MetaLoss, net.Parameters.Select(p => new GradInput(p.shape, Domain.Unit)).ToList(), differentiableEvaluation: true, tolerance: 1e-6);
    }

    [TestMethod]
    public void The_same_generator_seed_gives_the_same_initial_parameters()
    {
        using var scope = NewDisposeScope();
        using var a = new Mlp([3, 5, 2], Activation.Relu, new Generator(9));
        using var b = new Mlp([3, 5, 2], Activation.Relu, new Generator(9));
        using var c = new Mlp([3, 5, 2], Activation.Relu, new Generator(10));
        Assert.IsTrue(a.Parameters.Zip(b.Parameters).All(p => (p.First == p.Second).all().item<bool>()));
        Assert.IsFalse(a.Parameters.Zip(c.Parameters).All(p => (p.First == p.Second).all().item<bool>()));
        double bound = 1 / Math.Sqrt(3);
        Assert.IsTrue(a.Parameters[0].abs().max().item<float>() <= bound, "PyTorch's default range U(−1/√fan_in, 1/√fan_in)");
    }
}
