using MetaRl.Learning.Common;
using MetaRl.Learning.Robust.Cem;

namespace MetaRl.Learning.Tests.Robust;

[TestClass]
public sealed class DynamicTargetCemTests
{
    /// <summary>A CEM whose pending batch is set by hand (through the public state).</summary>
    private static DynamicTargetCem WithPending(ILatentDistribution[] dims, CemSettings settings, double[][] phi, params CemSample[] pending)
    {
        var cem = new DynamicTargetCem(dims, settings, 1);
        cem.RestoreState(new CemState(phi, dims.Select(d => d.Original).ToArray(), pending, [], new RandomStream(5).GetState()));
        return cem;
    }

    [TestMethod]
    public void Beta_update_matches_a_hand_worked_batch()
    {
        // u = 0.1 … 0.9, weights and scores by hand; N = 5, β = 0.2, α = 0.2, s = 0.5.
        // q_int = quantile(scores, 0.2) = −5 + 0.8·2 = −3.4
        // q_ref: by score (−5, 0.5) (−3, 2) (−1, 1) (0, 1) (2, 1); c = 0.25, 1.5, 3, 4, 5 → 0, 5/19, 11/19, 15/19, 1;
        //        α' = 0.2·6/4 − 1/4 = 0.05 → −5 + 2·0.05·19/5 = −4.62
        // q = −3.4: only the −5 sample (u = 0.3, w = 0.5) is selected (⌊βN⌋ = 1 met); φ_new = 0.3; φ = 0.5·0.5 + 0.5·0.3
        var settings = new CemSettings { BatchSize = 5, Alpha = 0.2, MinBatchUpdate = 0.2, SoftUpdate = 0.5, OriginalFraction = 0 };
        var cem = WithPending([new BetaMeanDistribution()], settings, [[0.5]],
            new([0.1], 1, false), new([0.3], 0.5, false), new([0.5], 2, false), new([0.7], 1, false), new([0.9], 1, false));
        var r = cem.Update([-1, -5, -3, 0, 2]);
        Assert.AreEqual(-3.4, r.QuantilePlain, 1e-12);
        Assert.AreEqual(-4.62, r.QuantileReference, 1e-12);
        Assert.AreEqual(-3.4, r.Threshold, 1e-12);
        CollectionAssert.AreEqual(new[] { false, true, false, false, false }, r.Selected);
        Assert.AreEqual(0.4, cem.Phi[0][0], 1e-12);
        Assert.AreEqual(0.5, r.PhiBefore[0][0]);
        Assert.IsNull(cem.Pending);
        Assert.AreEqual(1, cem.History.Count);
    }

    [TestMethod]
    public void Reference_quantile_wins_when_it_is_higher_and_weights_enter_the_fit()
    {
        // α = 0.9 pushes q_ref above q_int: q_ref selects the four lowest of five; the fit is their weighted mean.
        var settings = new CemSettings { BatchSize = 5, Alpha = 0.9, MinBatchUpdate = 0.2, SoftUpdate = 0.0, OriginalFraction = 0 };
        var cem = WithPending([new BetaMeanDistribution()], settings, [[0.5]],
            new([0.2], 1, false), new([0.4], 3, false), new([0.6], 1, false), new([0.8], 1, false), new([0.9], 1, false));
        var r = cem.Update([1, 2, 3, 4, 5]);
        Assert.IsTrue(r.QuantileReference > r.QuantilePlain);
        Assert.AreEqual(r.QuantileReference, r.Threshold);
        CollectionAssert.AreEqual(new[] { true, true, true, true, false }, r.Selected);
        Assert.AreEqual((0.2 + 3 * 0.4 + 0.6 + 0.8) / 6, cem.Phi[0][0], 1e-12); // s = 0: φ = φ_new
    }

    [TestMethod]
    public void Ties_at_the_threshold_top_the_selection_up_to_beta_n()
    {
        var settings = new CemSettings { BatchSize = 10, Alpha = 0.1, MinBatchUpdate = 0.2, SoftUpdate = 0.5, OriginalFraction = 0 };
        var samples = Enumerable.Range(0, 10).Select(i => new CemSample([0.05 + 0.09 * i], 1, false)).ToArray();
        var cem = WithPending([new BetaMeanDistribution()], settings, [[0.5]], samples);
        var r = cem.Update(Enumerable.Repeat(7.0, 10).ToArray()); // q = 7; nothing scores below it
        Assert.AreEqual(2, r.Selected.Count(s => s));
        var chosen = Enumerable.Range(0, 10).Where(i => r.Selected[i]).Select(i => samples[i].Latent[0]).Average();
        Assert.AreEqual(0.5 * 0.5 + 0.5 * chosen, cem.Phi[0][0], 1e-12);
    }

    [TestMethod]
    public void Beta_fit_is_clipped_to_epsilon()
    {
        var settings = new CemSettings { BatchSize = 2, Alpha = 0.5, MinBatchUpdate = 0.5, SoftUpdate = 0, OriginalFraction = 0 };
        var cem = WithPending([new BetaMeanDistribution(0.02)], settings, [[0.5]], new([0.999], 1, false), new([0.5], 1, false));
        cem.Update([0, 10]);
        Assert.AreEqual(0.98, cem.Phi[0][0], 1e-12);
    }

    [TestMethod]
    public void Exponential_fit_is_the_weighted_mean_without_clipping()
    {
        var settings = new CemSettings { BatchSize = 4, Alpha = 0.5, MinBatchUpdate = 0.5, SoftUpdate = 0.5, OriginalFraction = 0 };
        var cem = WithPending([new ExponentialDistribution(0.1)], settings, [[0.1]],
            new([0.1], 1, false), new([0.4], 3, false), new([2.0], 1, false), new([3.0], 1, false));
        var r = cem.Update([-2, -3, 5, 6]);
        CollectionAssert.AreEqual(new[] { true, true, false, false }, r.Selected);
        Assert.AreEqual(0.5 * 0.1 + 0.5 * (0.1 + 3 * 0.4) / 4, cem.Phi[0][0], 1e-12);
    }

    [TestMethod]
    public void Categorical_fit_is_the_weighted_frequency_floored_at_epsilon()
    {
        var settings = new CemSettings { BatchSize = 4, Alpha = 0.5, MinBatchUpdate = 0.5, SoftUpdate = 0, OriginalFraction = 0 };
        var cem = WithPending([new CategoricalDistribution(2, 0.02)], settings, [[0.5, 0.5]],
            new([1], 1, false), new([1], 1, false), new([0], 1, false), new([0], 1, false));
        cem.Update([0, 1, 5, 6]); // both selected samples are category 1
        Assert.AreEqual(0.02 / 1.02, cem.Phi[0][0], 1e-12);
        Assert.AreEqual(1 / 1.02, cem.Phi[0][1], 1e-12);
    }

    [TestMethod]
    public void Product_family_updates_every_dimension_and_weights_multiply()
    {
        var dims = new ILatentDistribution[] { new BetaMeanDistribution(), new ExponentialDistribution(0.1) };
        var cem = new DynamicTargetCem(dims, new CemSettings { BatchSize = 8 }, 3);
        cem.RestoreState(cem.SaveState() with { Phi = [[0.7], [0.3]] });
        double u = 0.6, x = 0.25;
        double expected = Math.Exp(SpecialFunctions.BetaLogPdf(u, 1, 1) - SpecialFunctions.BetaLogPdf(u, 1.4, 0.6)
                                   + (-Math.Log(0.1) - x / 0.1) - (-Math.Log(0.3) - x / 0.3));
        Assert.AreEqual(expected, cem.ImportanceWeight([u, x]), 1e-12);
    }

    [TestMethod]
    public void Sampling_draws_floor_nu_n_originals_with_weight_one_and_importance_weights_for_the_rest()
    {
        var settings = new CemSettings { BatchSize = 40, OriginalFraction = 0.25 };
        var cem = new DynamicTargetCem([new BetaMeanDistribution()], settings, 9);
        cem.RestoreState(cem.SaveState() with { Phi = [[0.8]] });
        var batch = cem.SampleBatch();
        Assert.AreEqual(10, batch.Count(b => b.FromOriginal));
        Assert.IsTrue(batch.Where(b => b.FromOriginal).All(b => b.Weight == 1.0));
        foreach (var b in batch.Where(b => !b.FromOriginal))
            Assert.AreEqual(cem.ImportanceWeight(b.Latent), b.Weight, 1e-12);
        Assert.AreSame(batch, cem.SampleBatch(), "the pending batch is handed out again until scored");
    }

    [TestMethod]
    public void Beta_by_mean_samples_have_mean_phi()
    {
        var beta = new BetaMeanDistribution();
        var rng = new RandomStream(4);
        double mean = Enumerable.Range(0, 20000).Average(_ => beta.Sample([0.8], rng));
        Assert.AreEqual(0.8, mean, 0.01);
    }

    [TestMethod]
    public void The_sampler_drifts_towards_the_hard_tasks()
    {
        // Score = −u: high u is hard. φ must climb from 0.5 towards the hard end.
        var cem = new DynamicTargetCem([new BetaMeanDistribution()], new CemSettings { BatchSize = 50, Alpha = 0.1 }, 2);
        for (int k = 0; k < 15; k++)
        {
            var batch = cem.SampleBatch();
            cem.Update(batch.Select(b => -b.Latent[0]).ToArray());
        }
        Assert.IsTrue(cem.Phi[0][0] > 0.85, $"φ = {cem.Phi[0][0]}");
        Assert.AreEqual(15, cem.History.Count);
    }

    [TestMethod]
    public void Saved_state_continues_with_the_same_batches_and_updates()
    {
        var settings = new CemSettings { BatchSize = 20, Alpha = 0.2 };
        var a = new DynamicTargetCem([new BetaMeanDistribution(), new ExponentialDistribution(0.1)], settings, 7);
        for (int k = 0; k < 3; k++) a.Update(a.SampleBatch().Select(s => -s.Latent[0] - s.Latent[1]).ToArray());
        a.SampleBatch();
        var saved = a.SaveState();
        var b = new DynamicTargetCem([new BetaMeanDistribution(), new ExponentialDistribution(0.1)], settings, 999);
        b.RestoreState(saved);
        for (int k = 0; k < 3; k++)
        {
            var ba = a.SampleBatch();
            var bb = b.SampleBatch();
            CollectionAssert.AreEqual(ba.SelectMany(s => s.Latent).ToArray(), bb.SelectMany(s => s.Latent).ToArray());
            a.Update(ba.Select(s => -s.Latent[0]).ToArray());
            b.Update(bb.Select(s => -s.Latent[0]).ToArray());
        }
        CollectionAssert.AreEqual(a.Phi.SelectMany(p => p).ToArray(), b.Phi.SelectMany(p => p).ToArray());
    }

    [TestMethod]
    public void Bad_settings_name_the_field()
    {
        var e = Assert.ThrowsExactly<ArgumentException>(() => new DynamicTargetCem([new BetaMeanDistribution()], new CemSettings { SoftUpdate = 1.5 }, 1));
        StringAssert.Contains(e.Message, "cem.softUpdate");
        StringAssert.Contains(e.Message, "[0, 1)");
    }

    [TestMethod]
    public void Updating_without_a_pending_batch_or_with_the_wrong_count_fails()
    {
        var cem = new DynamicTargetCem([new BetaMeanDistribution()], new CemSettings { BatchSize = 4 }, 1);
        Assert.ThrowsExactly<InvalidOperationException>(() => cem.Update([1, 2, 3, 4]));
        cem.SampleBatch();
        Assert.ThrowsExactly<ArgumentException>(() => cem.Update([1, 2, 3]));
    }
}
