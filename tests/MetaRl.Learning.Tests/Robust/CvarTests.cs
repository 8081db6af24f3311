using MetaRl.Learning.Robust;

namespace MetaRl.Learning.Tests.Robust;

[TestClass]
public sealed class CvarTests
{
    [TestMethod]
    public void Cvar_is_the_mean_of_the_worst_ceil_alpha_n_values()
    {
        double[] v = [5, 1, 4, 2, 3];
        Assert.AreEqual(1.5, Cvar.Of(v, 0.4), 1e-12);   // ⌈2⌉ worst: 1, 2
        Assert.AreEqual(2.0, Cvar.Of(v, 0.5), 1e-12);   // ⌈2.5⌉ = 3 worst: 1, 2, 3
        Assert.AreEqual(1.0, Cvar.Of(v, 0.01), 1e-12);  // at least one value
        Assert.AreEqual(3.0, Cvar.Of(v, 1.0), 1e-12);   // α = 1 is the mean
        Assert.AreEqual(2, Cvar.TailCount(20, 0.1));
        Assert.AreEqual(3, Cvar.TailCount(21, 0.1));
    }

    [TestMethod]
    public void Quantile_interpolates_linearly_like_numpy()
    {
        double[] v = [5, 1, 4, 2, 3];
        Assert.AreEqual(1.8, Cvar.Quantile(v, 0.2), 1e-12);
        Assert.AreEqual(3.0, Cvar.Quantile(v, 0.5), 1e-12);
        Assert.AreEqual(5.0, Cvar.Quantile(v, 1.0), 1e-12);
        Assert.AreEqual(1.0, Cvar.Quantile(v, 0.0), 1e-12);
    }

    [TestMethod]
    public void Weighted_quantile_matches_a_hand_worked_example_with_the_small_sample_correction()
    {
        // sorted by value: (1, w1) (2, w2) (3, w1) (4, w4); cumulative 1, 3, 4, 8; c = 0.5, 2, 3.5, 6
        // → normalised 0, 3/11, 6/11, 1. α = 0.3, n = 4: α' = 0.3·5/3 − 1/3 = 1/6 → between 1 and 2
        // at (1/6)/(3/11) = 11/18.
        double q = Cvar.WeightedQuantile([3, 1, 2, 4], [1, 1, 2, 4], 0.3);
        Assert.AreEqual(1 + 11.0 / 18, q, 1e-12);
    }

    [TestMethod]
    public void Weighted_quantile_with_equal_weights_and_large_n_approaches_the_plain_quantile()
    {
        var v = Enumerable.Range(0, 1001).Select(i => (double)i).ToArray();
        var w = Enumerable.Repeat(1.0, v.Length).ToArray();
        Assert.AreEqual(Cvar.Quantile(v, 0.1), Cvar.WeightedQuantile(v, w, 0.1), 1.0);
    }

    [TestMethod]
    public void Cvar_ml_keeps_exactly_the_alpha_tail()
    {
        var w = CvarTaskFilter.Weights([3.0, -1.0, 7.0, 0.5, -4.0, 2.0, 9.0, 1.0, 6.0, 5.0], 0.2);
        CollectionAssert.AreEqual(new double[] { 0, 1, 0, 0, 1, 0, 0, 0, 0, 0 }, w);
    }

    [TestMethod]
    public void Soft_alpha_schedule_starts_at_the_mean_and_reaches_alpha_at_80_percent()
    {
        Assert.AreEqual(1.0, AlphaSchedule.At(0.05, 0.0, soft: true), 1e-12);
        Assert.AreEqual(1 - 0.95 * 0.5, AlphaSchedule.At(0.05, 0.4, soft: true), 1e-12);
        Assert.AreEqual(0.05, AlphaSchedule.At(0.05, 0.8, soft: true), 1e-12);
        Assert.AreEqual(0.05, AlphaSchedule.At(0.05, 1.0, soft: true), 1e-12);
        Assert.AreEqual(0.05, AlphaSchedule.At(0.05, 0.1, soft: false), 1e-12);
    }

    [TestMethod]
    public void Alpha_outside_zero_one_is_rejected()
    {
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => Cvar.Of([1.0], 0));
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => Cvar.Of([1.0], 1.5));
    }
}
