using MetaRl.Learning.Nets;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace MetaRl.Learning.Tests.Nets;

[TestClass]
public sealed class MemoryTests
{
    [TestMethod]
    public void Module_parameters_survive_the_dispose_scope_they_were_built_in()
    {
        Mlp net;
        using (var scope = NewDisposeScope())
            net = new Mlp([2, 4, 1], Activation.Tanh, new Generator(1));
        Assert.IsTrue(net.Parameters.All(p => !p.IsInvalid));
        net.Dispose();
    }

    [TestMethod]
    public void A_long_second_order_training_loop_leaves_no_live_tensors_behind()
    {
        // A MAML meta-step in the learners' batched form, repeated: every tensor it creates is released
        // by the iteration's dispose scope, so the count of live tensors does not grow.
        using var net = new Mlp([1, 32, 32, 1], Activation.Relu, new Generator(3));
        using var adam = optim.Adam(net.Parameters.Cast<Parameter>(), 1e-3);
        var g = new Generator(4);
        void Iterations(int n)
        {
            for (int i = 0; i < n; i++)
            {
                using var scope = NewDisposeScope();
                var xs = rand([8, 10, 1], generator: g);
                var ys = xs.sin();
                var fast = Mlp.Stack(net.Parameters, 8);
                for (int s = 0; s < 3; s++)
                {
                    var grads = Checked.Grad((net.ForwardBatched(xs, fast) - ys).square().mean([1, 2]).sum(), fast, createGraph: true);
                    fast = fast.Zip(grads, (w, gw) => w - 0.01 * gw).ToList();
                }
                adam.zero_grad();
                (net.ForwardBatched(xs, fast) - ys).square().mean().backward();
                adam.step();
            }
        }
        Iterations(5);
        long before = DisposeScopeManager.Statistics.ThreadTotalLiveCount;
        Iterations(200);
        long after = DisposeScopeManager.Statistics.ThreadTotalLiveCount;
        Assert.AreEqual(before, after, "live tensors after 200 more iterations");
    }
}
