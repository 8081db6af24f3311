namespace MetaRl.Learning.Algorithms.Sampling;

/// <summary>Discounted returns and generalised advantage estimates over an <see cref="EpisodeBatch"/>.</summary>
public static class Advantages
{
    /// <summary>Return-to-go Σ_k γ^k r_{t+k} for every valid step ([M·H], padding 0).</summary>
    public static double[] DiscountedReturns(EpisodeBatch batch, double gamma)
    {
        int h = batch.Horizon;
        var g = new double[batch.Episodes * h];
        for (int e = 0; e < batch.Episodes; e++)
        {
            double running = 0;
            for (int t = batch.Lengths[e] - 1; t >= 0; t--)
            {
                running = batch.Rewards[e * h + t] + gamma * running;
                g[e * h + t] = running;
            }
        }
        return g;
    }

    /// <summary>
    /// GAE(γ, λ) with the linear feature baseline fitted on the batch itself: δ_t = r_t + γV(s_{t+1}) − V(s_t)
    /// (V = 0 after the last step), A_t = Σ (γλ)^k δ_{t+k}. λ = 1 gives returns minus the baseline.
    /// Optionally normalised to zero mean and unit variance over the batch's valid steps.
    /// </summary>
    public static double[] Gae(EpisodeBatch batch, double gamma, double lambda, bool normalize)
    {
        int h = batch.Horizon;
        var returns = DiscountedReturns(batch, gamma);
        var values = LinearFeatureBaseline.FitPredict(batch, returns);
        var adv = new double[batch.Episodes * h];
        for (int e = 0; e < batch.Episodes; e++)
        {
            double running = 0;
            for (int t = batch.Lengths[e] - 1; t >= 0; t--)
            {
                double next = t + 1 < batch.Lengths[e] ? values[e * h + t + 1] : 0;
                double delta = batch.Rewards[e * h + t] + gamma * next - values[e * h + t];
                running = delta + gamma * lambda * running;
                adv[e * h + t] = running;
            }
        }
        if (normalize) Normalize(batch, adv);
        return adv;
    }

    private static void Normalize(EpisodeBatch batch, double[] adv)
    {
        int h = batch.Horizon;
        double sum = 0, sq = 0;
        int n = 0;
        for (int e = 0; e < batch.Episodes; e++)
            for (int t = 0; t < batch.Lengths[e]; t++)
            {
                sum += adv[e * h + t];
                sq += adv[e * h + t] * adv[e * h + t];
                n++;
            }
        if (n == 0) return;
        double mean = sum / n, std = Math.Sqrt(Math.Max(sq / n - mean * mean, 0)) + 1e-8;
        for (int e = 0; e < batch.Episodes; e++)
            for (int t = 0; t < batch.Lengths[e]; t++) adv[e * h + t] = (adv[e * h + t] - mean) / std;
    }
}
