using MetaRl.Learning.Nets;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace MetaRl.Learning.Tests.Nets;

[TestClass]
public sealed class PinnedAdamTests
{
    /// <summary>The same net trained by TorchSharp's Adam and by ours: identical parameters and identical saved state after every step.</summary>
    [TestMethod]
    public void Steps_are_bit_for_bit_those_of_TorchSharp_s_Adam_and_the_state_is_interchangeable()
    {
        using var scope = NewDisposeScope();
        using var a = new Mlp([3, 16, 2], Activation.Tanh, new Generator(5));
        using var b = new Mlp([3, 16, 2], Activation.Tanh, new Generator(5));
        using var theirs = optim.Adam(a.Parameters.Cast<Parameter>(), 3e-3);
        using var ours = new MetaRl.Learning.Nets.Pinned.Adam(b.Parameters.Cast<Parameter>(), 3e-3);
        var g = new Generator(9);
        for (int step = 0; step < 25; step++)
        {
            var x = randn([32, 3], generator: g);
            var y = randn([32, 2], generator: g);
            foreach (var (net, opt) in new (Mlp, Adam)[] { (a, theirs), (b, ours) })
            {
                opt.zero_grad();
                (net.forward(x) - y).square().mean().backward();
                opt.step();
            }
            foreach (var (p, q) in a.Parameters.Zip(b.Parameters))
                CollectionAssert.AreEqual(p.data<float>().ToArray(), q.data<float>().ToArray(), $"step {step}");
        }
        CollectionAssert.AreEqual(OptimizerBytes.Save(theirs), OptimizerBytes.Save(ours), "the same state bytes (checkpoints)");
    }
}
