using MetaRl.Learning.Torch;
using MetaRl.Learning.Torch.Distributions;

namespace MetaRl.Learning.Tests.Torch;

/// <summary>Forward values of operations whose results are easy to state by hand.</summary>
[TestClass]
public sealed class OperationValueTests
{
    [TestMethod]
    public void Quantile_interpolates_linearly_between_order_statistics()
    {
        using var scope = new DisposeScope();
        var x = Tensor.From([5.0, 1.0, 4.0, 2.0, 3.0], [5]);
        Assert.AreEqual(1.8, x.Quantile(0.2).Item(), 1e-12);   // position 0.8 between 1 and 2
        Assert.AreEqual(3.0, x.Quantile(0.5).Item(), 1e-12);
        Assert.AreEqual(1.0, x.Quantile(0.2, QuantileInterpolation.Lower).Item(), 1e-12);
    }

    [TestMethod]
    public void Sort_returns_values_and_the_permutation()
    {
        using var scope = new DisposeScope();
        var (values, indices) = Tensor.From([3f, -1f, 2f], [3]).Sort();
        CollectionAssert.AreEqual(new[] { -1f, 2f, 3f }, values.ToFloatArray());
        CollectionAssert.AreEqual(new[] { 1L, 2L, 0L }, indices.ToInt64Array());
    }

    [TestMethod]
    public void Reductions_and_comparisons()
    {
        using var scope = new DisposeScope();
        var x = Tensor.From([1f, 2f, 3f, 4f, 5f, 6f], [2, 3]);
        CollectionAssert.AreEqual(new[] { 6f, 15f }, x.Sum(1).ToFloatArray());
        CollectionAssert.AreEqual(new[] { 2.5f, 3.5f, 4.5f }, x.Mean(0).ToFloatArray());
        CollectionAssert.AreEqual(new[] { 2L, 2L }, x.ArgMax(1).ToInt64Array());
        Assert.AreEqual(Math.Log(Math.Exp(4) + Math.Exp(5) + Math.Exp(6)), x.LogSumExp(1).ToDoubleArray()[1], 1e-5);
        Assert.AreEqual(ScalarType.Bool, x.Gt(3).DType);
        CollectionAssert.AreEqual(new[] { 0L, 0L, 0L, 1L, 1L, 1L }, x.Gt(3).To(ScalarType.Int64).ToInt64Array());
        Assert.AreEqual(720.0, x.Prod().Item(), 1e-9);
    }

    [TestMethod]
    public void No_grad_scope_stops_recording_on_this_thread_only_while_it_lasts()
    {
        using var scope = new DisposeScope();
        var x = Tensor.Ones([2], requiresGrad: true);
        using (Autograd.NoGrad())
        {
            Assert.IsFalse((x * 2).RequiresGrad);
            using (Autograd.EnableGrad()) Assert.IsTrue((x * 2).RequiresGrad);
        }
        Assert.IsTrue((x * 2).RequiresGrad);
        Assert.IsFalse((x * 2).Detach().RequiresGrad);
    }

    [TestMethod]
    public void Gaussian_log_prob_entropy_and_kl_match_closed_forms()
    {
        using var scope = new DisposeScope();
        var mean = Tensor.From([0.5, -1.0], [1, 2]);
        var logStd = Tensor.From([Math.Log(2.0), 0.0], [2]);
        var d = new DiagonalGaussian(mean, logStd);
        var x = Tensor.From([1.5, 0.0], [1, 2]);
        double expected = -0.5 * (0.5 * 0.5) - Math.Log(2) - 0.5 * Math.Log(2 * Math.PI)
                          - 0.5 * 1.0 - 0.0 - 0.5 * Math.Log(2 * Math.PI);
        Assert.AreEqual(expected, d.LogProb(x).Item(), 1e-12);
        Assert.AreEqual(Math.Log(2) + 1.0 + Math.Log(2 * Math.PI) , d.Entropy().Item(), 1e-12);
        var q = new DiagonalGaussian(Tensor.From([0.0, 0.0], [1, 2]), Tensor.From([0.0, 0.0], [2]));
        double kl = 0.5 * (4 + 0.25 - 1) - Math.Log(2) + 0.5 * (1 + 1 - 1);
        Assert.AreEqual(kl, d.KlDivergence(q).Item(), 1e-12);
    }

    [TestMethod]
    public void Gaussian_samples_have_the_requested_moments()
    {
        using var scope = new DisposeScope();
        using var g = new Generator(42);
        var mean = Tensor.Full([20000, 1], 1.5, ScalarType.Float64);
        var d = new DiagonalGaussian(mean, Tensor.From([Math.Log(0.5)], [1]));
        var s = d.Sample(g);
        Assert.AreEqual(1.5, s.Mean().Item(), 0.02);
        Assert.AreEqual(0.5, s.Std().Item(), 0.02);
    }

    [TestMethod]
    public void Categorical_samples_follow_the_probabilities_and_kl_is_zero_to_itself()
    {
        using var scope = new DisposeScope();
        using var g = new Generator(9);
        var probs = new[] { 0.1, 0.6, 0.3 };
        var logits = Tensor.From(probs.Select(p => Math.Log(p)).ToArray(), [1, 3]).Expand(30000, 3);
        using var c = new Categorical(logits);
        var draws = c.Sample(g).ToInt64Array();
        for (int k = 0; k < 3; k++)
            Assert.AreEqual(probs[k], draws.Count(v => v == k) / 30000.0, 0.015, $"class {k}");
        Assert.AreEqual(0.0, c.KlDivergence(c).Sum().Item(), 1e-12);
        Assert.AreEqual(-(0.1 * Math.Log(0.1) + 0.6 * Math.Log(0.6) + 0.3 * Math.Log(0.3)), c.Entropy().ToDoubleArray()[0], 1e-12);
    }
}
