using System.Diagnostics;
using MetaRl.Learning.Torch;
using MetaRl.Learning.Torch.Nn;
using MetaRl.Learning.Torch.Optim;

namespace MetaRl.Learning.Tests.Torch;

[TestClass]
public sealed class MemoryTests
{
    [TestMethod]
    public void Dispose_scope_releases_what_was_created_inside_and_keeps_what_was_moved_out()
    {
        Tensor kept, dropped;
        using (var outer = new DisposeScope())
        {
            using (var inner = new DisposeScope())
            {
                dropped = Tensor.Ones([3]) * 2;
                kept = inner.MoveToOuter(dropped + 1);
            }
            Assert.IsTrue(dropped.IsDisposed);
            Assert.IsFalse(kept.IsDisposed);
            CollectionAssert.AreEqual(new[] { 3f, 3f, 3f }, kept.ToFloatArray());
        }
        Assert.IsTrue(kept.IsDisposed, "moved to the outer scope, released with it");
    }

    [TestMethod]
    public void Module_parameters_survive_the_scope_they_were_created_in()
    {
        Mlp net;
        using (var scope = new DisposeScope())
        {
            using var g = new Generator(1);
            net = new Mlp([2, 4, 1], Activation.Tanh, g);
        }
        Assert.IsTrue(net.Parameters().All(p => !p.IsDisposed));
        net.Dispose();
        Assert.IsTrue(net.Parameters().All(p => p.IsDisposed));
    }

    private static long ResidentBytes()
    {
        using var self = Process.GetCurrentProcess();
        self.Refresh();
        return self.WorkingSet64;
    }

    [TestMethod]
    public void Long_training_loop_keeps_a_flat_memory_footprint()
    {
        // A real workload: MLP forward, second-order MAML-style gradient, Adam step, repeated.
        using var g = new Generator(3);
        using var net = new Mlp([8, 64, 64, 1], Activation.Tanh, g);
        using var adam = new Adam(net.Parameters(), 1e-3);
        void Iterations(int n)
        {
            for (int i = 0; i < n; i++)
            {
                using var scope = new DisposeScope();
                var x = Tensor.RandN([64, 8], g);
                var y = x.Sum(1, keepDim: true).Sin();
                var p = net.Parameters();
                var inner = Functional.MseLoss(net.Forward(x, p), y);
                var grads = Autograd.Grad(inner, p, createGraph: true);
                var adapted = p.Zip(grads, (w, gw) => w - 0.01 * gw).ToList();
                var outer = Functional.MseLoss(net.Forward(x, adapted), y);
                adam.ZeroGrad();
                outer.Backward();
                adam.Step();
            }
        }
        Iterations(300); // warm-up: allocator pools, JIT, thread pools
        GC.Collect();
        GC.WaitForPendingFinalizers();
        var before = ResidentBytes();
        Iterations(3000);
        GC.Collect();
        GC.WaitForPendingFinalizers();
        var growth = ResidentBytes() - before;
        // 3000 iterations create ~200k tensors (~1.5 GB if none were freed); allow allocator noise.
        Assert.IsTrue(growth < 40L * 1024 * 1024, $"resident memory grew by {growth / (1024 * 1024)} MiB");
    }
}
