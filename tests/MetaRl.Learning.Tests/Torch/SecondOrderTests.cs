using MetaRl.Learning.Torch;
using MetaRl.Learning.Torch.Nn;

namespace MetaRl.Learning.Tests.Torch;

[TestClass]
public sealed class SecondOrderTests
{
    [TestMethod]
    public void One_step_MAML_meta_gradient_matches_its_analytic_value()
    {
        // Inner loss  L_in(w)  = ½ wᵀAw − bᵀw        ⇒ ∇ = Aw − b,   w' = w − α(Aw − b)
        // Outer loss  L_out(w') = ½ (w' − d)ᵀ C (w' − d)
        // Meta-gradient dL_out/dw = (I − αA)ᵀ C (w' − d)   (the (I − αA) factor is the second-order term)
        double alpha = 0.3;
        double[] a = [2.0, 0.5, 0.5, 1.0];
        double[] c = [1.5, -0.2, -0.2, 0.8];
        double[] b = [1.0, -1.0];
        double[] d = [0.3, 0.7];
        double[] w0 = [0.4, -0.6];

        using var scope = new DisposeScope();
        var A = Tensor.From(a, [2, 2]);
        var C = Tensor.From(c, [2, 2]);
        var B = Tensor.From(b, [2]);
        var D = Tensor.From(d, [2]);
        var w = Tensor.From(w0, [2], requiresGrad: true);

        var inner = w.Dot(A.MatMul(w)) * 0.5 - B.Dot(w);
        var g = Autograd.Grad(inner, [w], createGraph: true)[0];
        var adapted = w - alpha * g;
        var diff = adapted - D;
        var outer = diff.Dot(C.MatMul(diff)) * 0.5;
        var meta = Autograd.Grad(outer, [w])[0].ToDoubleArray();

        // analytic
        double[] aw = [a[0] * w0[0] + a[1] * w0[1], a[2] * w0[0] + a[3] * w0[1]];
        double[] wp = [w0[0] - alpha * (aw[0] - b[0]), w0[1] - alpha * (aw[1] - b[1])];
        double[] r = [wp[0] - d[0], wp[1] - d[1]];
        double[] cr = [c[0] * r[0] + c[1] * r[1], c[2] * r[0] + c[3] * r[1]];
        double[] m = [1 - alpha * a[0], -alpha * a[1], -alpha * a[2], 1 - alpha * a[3]];
        double[] expected = [m[0] * cr[0] + m[2] * cr[1], m[1] * cr[0] + m[3] * cr[1]];

        Assert.AreEqual(expected[0], meta[0], 1e-12);
        Assert.AreEqual(expected[1], meta[1], 1e-12);
        // The first-order approximation (dropping (I − αA)) differs: the second-order term is really there.
        Assert.IsTrue(Math.Abs(cr[0] - meta[0]) > 1e-3 || Math.Abs(cr[1] - meta[1]) > 1e-3);
    }

    [TestMethod]
    public void MAML_meta_gradient_of_a_small_regression_net_matches_finite_differences()
    {
        // Two inner SGD steps of a 1→8→1 tanh net on one task, outer loss on held-out points.
        using var g = new Generator(11);
        using var net = new Mlp([1, 8, 1], Activation.Tanh, g);
        var shapes = net.Parameters().Select(p => new GradInput(p.Shape, Domain.Unit)).ToList();
        double[] xTrain = [-1.0, -0.3, 0.4, 1.2];
        double[] yTrain = [0.5, -0.2, 0.9, 0.1];
        double[] xTest = [-0.7, 0.1, 0.8];
        double[] yTest = [0.2, 0.4, -0.3];
        GradCheck.Verify(p =>
        {
            var xt = Tensor.From(xTrain, [4, 1]);
            var yt = Tensor.From(yTrain, [4, 1]);
            IReadOnlyList<Tensor> theta = p;
            for (int step = 0; step < 2; step++)
            {
                var loss = Functional.MseLoss(net.Forward(xt, theta), yt);
                var grads = Autograd.Grad(loss, theta, createGraph: true);
                theta = theta.Zip(grads, (w, gw) => w - 0.1 * gw).ToList();
            }
            return Functional.MseLoss(net.Forward(Tensor.From(xTest, [3, 1]), theta), Tensor.From(yTest, [3, 1]));
        }, shapes, differentiableEvaluation: true);
    }

    [TestMethod]
    public void Hessian_vector_product_of_a_quadratic_is_the_matrix_times_the_vector()
    {
        // The Fisher-vector product of TRPO is a Hessian-vector product of the KL: grad(grad(f)·v).
        double[] h = [3, 1, 0, 1, 2, -1, 0, -1, 4];
        using var scope = new DisposeScope();
        var H = Tensor.From(h, [3, 3]);
        var x = Tensor.From([0.2, -0.4, 1.0], [3], requiresGrad: true);
        var v = Tensor.From([1.0, 2.0, -1.0], [3]);
        var f = x.Dot(H.MatMul(x)) * 0.5;
        var grad = Autograd.Grad(f, [x], createGraph: true)[0];
        var hv = Autograd.Grad(grad.Dot(v), [x])[0].ToDoubleArray();
        CollectionAssert.AreEqual(new[] { 5.0, 6.0, -6.0 }, hv);
    }
}
