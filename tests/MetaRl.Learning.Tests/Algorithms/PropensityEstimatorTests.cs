using MetaRl.Learning.Algorithms.Mql;
using MetaRl.Learning.Common;

namespace MetaRl.Learning.Tests.Algorithms;

[TestClass]
public sealed class PropensityEstimatorTests
{
    private static List<double[]> Gaussian(int n, double[] mean, ulong seed)
    {
        var rng = new RandomStream(seed);
        return Enumerable.Range(0, n).Select(_ => mean.Select(m => m + rng.NextGaussian()).ToArray()).ToList();
    }

    [TestMethod]
    public void Identical_distributions_leave_the_replay_fully_usable()
    {
        var fit = PropensityEstimator.Fit(Gaussian(400, [0, 0, 0], 1), Gaussian(2000, [0, 0, 0], 2));
        Assert.IsTrue(fit.EffectiveSampleSize > 0.95, $"ESS {fit.EffectiveSampleSize}");
        Assert.IsTrue(fit.Lambda < 0.05);
        Assert.AreEqual(0.5, fit.TrainingAccuracy, 0.06, "nothing to separate");
        Assert.AreEqual(1.0, fit.ReplayOdds.Average(), 0.1, "odds ≈ 1 everywhere");
    }

    [TestMethod]
    public void A_distant_new_task_makes_the_replay_unusable_and_lambda_large()
    {
        var fit = PropensityEstimator.Fit(Gaussian(400, [3, 3, 0], 3), Gaussian(2000, [0, 0, 0], 4));
        Assert.IsTrue(fit.TrainingAccuracy > 0.95, $"accuracy {fit.TrainingAccuracy}");
        Assert.IsTrue(fit.EffectiveSampleSize < 0.2, $"ESS {fit.EffectiveSampleSize}");
        Assert.AreEqual(1 - fit.EffectiveSampleSize, fit.Lambda, 1e-12);
        Assert.IsTrue(fit.Weights[0] > 0 && fit.Weights[1] > 0, "the weights point towards the new task");
    }

    [TestMethod]
    public void Odds_track_the_true_density_ratio_of_two_gaussians()
    {
        // N(μ,1) vs N(0,1) in 1-D: log ratio = μx − μ²/2, so the standardised logistic fit should
        // give odds near exp(μx − μ²/2) (balanced classes remove the prior).
        double mu = 1.0;
        var fit = PropensityEstimator.Fit(Gaussian(4000, [mu], 5), Gaussian(4000, [0], 6), regularisation: 10, oddsClip: 1e6);
        foreach (var x in new[] { -1.0, 0.0, 0.5, 1.5 })
            Assert.AreEqual(Math.Exp(mu * x - mu * mu / 2), fit.Odds([x], 1e6), 0.15 * Math.Exp(mu * x - mu * mu / 2), $"x = {x}");
    }

    [TestMethod]
    public void Stronger_regularisation_pulls_the_odds_towards_one()
    {
        var strong = PropensityEstimator.Fit(Gaussian(300, [1, 0], 7), Gaussian(1000, [0, 0], 8), regularisation: 1e-4);
        var weak = PropensityEstimator.Fit(Gaussian(300, [1, 0], 7), Gaussian(1000, [0, 0], 8), regularisation: 1.0);
        Assert.IsTrue(strong.EffectiveSampleSize > weak.EffectiveSampleSize);
        Assert.IsTrue(Math.Abs(strong.Weights[0]) < Math.Abs(weak.Weights[0]));
    }

    [TestMethod]
    public void Bad_inputs_are_rejected()
    {
        Assert.ThrowsExactly<ArgumentException>(() => PropensityEstimator.Fit([], [[1.0]]));
        Assert.ThrowsExactly<ArgumentException>(() => PropensityEstimator.Fit([[1.0]], [[1.0, 2.0]]));
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => PropensityEstimator.Fit([[1.0]], [[1.0]], regularisation: 0));
    }

    [TestMethod]
    public void Beta_is_the_odds_clipped_above_and_zero_below_the_floor()
    {
        Assert.AreEqual(1.0, PropensityEstimator.Beta(0, Math.E, 0.1), 1e-15);
        Assert.AreEqual(Math.E, PropensityEstimator.Beta(5, Math.E, 0.1), 1e-15, "clipped at e (the authors' logit clip of 1)");
        Assert.AreEqual(Math.Exp(-2), PropensityEstimator.Beta(-2, Math.E, 0.1), 1e-15, "e^-2 ≈ 0.135 is above the floor");
        Assert.AreEqual(0.0, PropensityEstimator.Beta(-3, Math.E, 0.1), "e^-3 ≈ 0.05 is below it");
        // A fit's replay odds follow the same rule.
        var fit = PropensityEstimator.Fit(Gaussian(500, [2.0], 1), Gaussian(500, [0], 2), regularisation: 1, oddsClip: Math.E, oddsFloor: 0.1);
        Assert.IsTrue(fit.ReplayOdds.All(b => b == 0 || b is >= 0.1 and <= Math.E));
        Assert.IsTrue(fit.ReplayOdds.Any(b => b == 0) && fit.ReplayOdds.Any(b => b == Math.E));
    }
}
