using MetaRl.Learning.Torch;

namespace MetaRl.Learning.Tests.Torch;

[TestClass]
public sealed class ShimFoundationTests
{
    [TestMethod]
    public void Gradient_of_weighted_sum_of_squares_matches_hand_computed_value()
    {
        // f(x) = Σ w_i x_i²  ⇒  ∂f/∂x_i = 2 w_i x_i
        float[] xs = [1.5f, -2f, 0.25f, 3f];
        float[] ws = [2f, 0.5f, -4f, 1f];
        using var scope = new DisposeScope();
        var x = Tensor.From(xs, [4], requiresGrad: true);
        var w = Tensor.From(ws, [4]);
        var f = (w * x * x).Sum();
        Assert.AreEqual(2 * 2.25 + 0.5 * 4 - 4 * 0.0625 + 9, f.Item(), 1e-6);
        f.Backward();
        var grad = x.Grad!.ToFloatArray();
        CollectionAssert.AreEqual(new[] { 6f, -2f, -2f, 6f }, grad);
    }

    [TestMethod]
    public void Matmul_shape_mismatch_becomes_a_TorchException_with_libtorchs_message()
    {
        using var scope = new DisposeScope();
        var a = Tensor.From(new float[6], [2, 3]);
        var b = Tensor.From(new float[8], [2, 4]);
        var e = Assert.ThrowsExactly<TorchException>(() => a.MatMul(b));
        StringAssert.Contains(e.Message, "cannot be multiplied");
        StringAssert.Contains(e.Message, "2x3 and 2x4");
        // The process and the binding carry on working after the failure.
        using var ok = a.MatMul(Tensor.From(new float[12], [3, 4]));
        CollectionAssert.AreEqual(new long[] { 2, 4 }, ok.Shape);
    }

    [TestMethod]
    public void Shape_that_does_not_match_the_data_is_rejected_before_reaching_libtorch()
    {
        var e = Assert.ThrowsExactly<ArgumentException>(() => Tensor.From(new float[5], [2, 3]));
        StringAssert.Contains(e.Message, "holds 6 elements but 5 were given");
    }
}
