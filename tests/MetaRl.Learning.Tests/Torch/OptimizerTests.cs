using MetaRl.Learning.Torch;
using MetaRl.Learning.Torch.Nn;
using MetaRl.Learning.Torch.Optim;

namespace MetaRl.Learning.Tests.Torch;

[TestClass]
public sealed class OptimizerTests
{
    /// <summary>Adam written out by hand, in double precision (Kingma &amp; Ba, Algorithm 1, with L2 decay).</summary>
    private static double[] ReferenceAdam(double[] x, Func<double[], double[]> gradient, int steps, double lr, double b1, double b2, double eps, double decay)
    {
        var m = new double[x.Length];
        var v = new double[x.Length];
        x = (double[])x.Clone();
        for (int t = 1; t <= steps; t++)
        {
            var g = gradient(x);
            for (int i = 0; i < x.Length; i++)
            {
                var gi = g[i] + decay * x[i];
                m[i] = b1 * m[i] + (1 - b1) * gi;
                v[i] = b2 * v[i] + (1 - b2) * gi * gi;
                var mHat = m[i] / (1 - Math.Pow(b1, t));
                var vHat = v[i] / (1 - Math.Pow(b2, t));
                x[i] -= lr * mHat / (Math.Sqrt(vHat) + eps);
            }
        }
        return x;
    }

    [TestMethod]
    public void Adam_follows_a_hand_written_reference_over_300_steps()
    {
        // f(x) = Σ c_i (x_i − t_i)² + 0.1·x_0·x_1 (coupled, different curvatures)
        double[] c = [1.0, 10.0, 0.1];
        double[] t = [0.5, -1.5, 3.0];
        double[] Grad(double[] x) => [2 * c[0] * (x[0] - t[0]) + 0.1 * x[1], 2 * c[1] * (x[1] - t[1]) + 0.1 * x[0], 2 * c[2] * (x[2] - t[2])];
        double[] start = [2.0, 2.0, -2.0];
        var expected = ReferenceAdam(start, Grad, 300, 0.05, 0.9, 0.99, 1e-8, 0.01);

        using var x = Tensor.From(start, [3], requiresGrad: true);
        using var adam = new Adam([x], learningRate: 0.05, beta1: 0.9, beta2: 0.99, eps: 1e-8, weightDecay: 0.01);
        using var ct = Tensor.From(c, [3]);
        using var tt = Tensor.From(t, [3]);
        for (int step = 0; step < 300; step++)
        {
            using var scope = new DisposeScope();
            adam.ZeroGrad();
            var loss = (ct * (x - tt).Square()).Sum() + 0.1 * x.Select(0, 0) * x.Select(0, 1);
            loss.Backward();
            adam.Step();
        }
        var actual = x.ToDoubleArray();
        for (int i = 0; i < 3; i++) Assert.AreEqual(expected[i], actual[i], 1e-10, $"coordinate {i}");
        Assert.AreEqual(300, adam.StepCount);
    }

    [TestMethod]
    public void Sgd_with_momentum_matches_the_recurrence()
    {
        using var x = Tensor.From([1.0, -2.0], [2], requiresGrad: true);
        using var sgd = new Sgd([x], learningRate: 0.1, momentum: 0.9);
        double[] xr = [1.0, -2.0];
        double[] buf = [0, 0];
        for (int step = 0; step < 20; step++)
        {
            using var scope = new DisposeScope();
            sgd.ZeroGrad();
            (x.Square().Sum() * 1.5).Backward();
            sgd.Step();
            for (int i = 0; i < 2; i++)
            {
                var g = 3 * xr[i];
                buf[i] = step == 0 ? g : 0.9 * buf[i] + g;
                xr[i] -= 0.1 * buf[i];
            }
        }
        var actual = x.ToDoubleArray();
        Assert.AreEqual(xr[0], actual[0], 1e-12);
        Assert.AreEqual(xr[1], actual[1], 1e-12);
    }

    [TestMethod]
    public void Adam_state_saved_and_restored_continues_exactly_like_an_uninterrupted_run()
    {
        static (Mlp Net, Adam Opt) Fresh(ulong seed)
        {
            using var g = new Generator(seed);
            var net = new Mlp([2, 16, 1], Activation.Tanh, g);
            return (net, new Adam(net.Parameters(), 1e-2));
        }
        static void Train(Mlp net, Adam opt, int steps, int offset)
        {
            for (int s = 0; s < steps; s++)
            {
                using var scope = new DisposeScope();
                using var g = new Generator((ulong)(1000 + offset + s));
                var x = Tensor.RandN([32, 2], g);
                var y = (x.Select(1, 0) * x.Select(1, 1)).Unsqueeze(1);
                opt.ZeroGrad();
                Functional.MseLoss(net.Forward(x), y).Backward();
                opt.Step();
            }
        }

        var (a, optA) = Fresh(5);
        Train(a, optA, 20, 0);

        var (b, optB) = Fresh(5);
        Train(b, optB, 10, 0);
        var modelBytes = b.StateDict().ToBytes();
        var optBytes = optB.SaveState().ToBytes();
        b.Dispose();
        optB.Dispose();

        var (c, optC) = Fresh(99); // different initial weights: everything must come from the saved state
        c.LoadStateDict(Learning.Torch.Serialization.TensorArchive.FromBytes(modelBytes));
        optC.LoadState(Learning.Torch.Serialization.TensorArchive.FromBytes(optBytes));
        Train(c, optC, 10, 10);

        var pa = a.Parameters().SelectMany(p => p.ToFloatArray()).ToArray();
        var pc = c.Parameters().SelectMany(p => p.ToFloatArray()).ToArray();
        CollectionAssert.AreEqual(pa, pc, "bit-identical parameters after resume");
        Assert.AreEqual(optA.StepCount, optC.StepCount);
        a.Dispose(); optA.Dispose(); c.Dispose(); optC.Dispose();
    }
}
