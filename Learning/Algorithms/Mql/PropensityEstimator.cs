namespace MetaRl.Learning.Algorithms.Mql;

/// <summary>The fitted propensity model and what it implies for adaptation.</summary>
/// <param name="Weights">Logistic weights over the standardised features.</param>
/// <param name="Bias">Logistic bias.</param>
/// <param name="FeatureMean">Standardisation: the features' mean (over both classes).</param>
/// <param name="FeatureScale">Standardisation: the features' standard deviation.</param>
/// <param name="ReplayOdds">β for every replay sample: the clipped odds that it came from the new task (0 below the floor).</param>
/// <param name="EffectiveSampleSize">ESS = (Σβ)² / (n·Σβ²) ∈ [0, 1].</param>
/// <param name="Lambda">λ = 1 − ESS, the weight of the proximal term in adaptation.</param>
/// <param name="TrainingAccuracy">Balanced accuracy of the classifier on its training data.</param>
/// <param name="LogLoss">Class-balanced mean log loss at the optimum.</param>
/// <param name="Iterations">Newton iterations taken.</param>
public sealed record PropensityFit(
    double[] Weights,
    double Bias,
    double[] FeatureMean,
    double[] FeatureScale,
    double[] ReplayOdds,
    double EffectiveSampleSize,
    double Lambda,
    double TrainingAccuracy,
    double LogLoss,
    int Iterations)
{
    /// <summary>β(x) for one feature vector: the odds that it came from the new task, clipped at <paramref name="clip"/>, 0 below <paramref name="floor"/>.</summary>
    public double Odds(ReadOnlySpan<double> x, double clip, double floor = 0)
    {
        double z = Bias;
        for (int j = 0; j < Weights.Length; j++) z += Weights[j] * (x[j] - FeatureMean[j]) / FeatureScale[j];
        return PropensityEstimator.Beta(z, clip, floor);
    }
}

/// <summary>
/// Meta-Q-Learning's propensity estimate (Fakoor et al. 2020): a logistic classifier separating the
/// new task's context features (label 1) from meta-training replay features (label 0), with L2
/// regularisation C (smaller C: stronger regularisation) and balanced classes; β(x) = exp(logit),
/// clipped (and, as the authors do, 0 when below a floor), is the odds that a replay sample looks like the new task; ESS = (Σβ)² / (n·Σβ²) and
/// λ = 1 − ESS tell how much of the replay is usable and how strongly to stay near the meta-parameters.
/// Fitted by Newton's method on standardised features (a strictly convex problem: it converges).
/// </summary>
public static class PropensityEstimator
{
    /// <summary>β from a logit: exp(z) clipped at <paramref name="clip"/>, and 0 when below <paramref name="floor"/>.</summary>
    public static double Beta(double logit, double clip, double floor)
    {
        double odds = Math.Clamp(Math.Exp(logit), 0, clip);
        return odds < floor ? 0 : odds;
    }

    public static PropensityFit Fit(IReadOnlyList<double[]> newTask, IReadOnlyList<double[]> replay, double regularisation = 0.1, double oddsClip = 10.0, int maxIterations = 50, double oddsFloor = 0)
    {
        if (newTask.Count == 0 || replay.Count == 0) throw new ArgumentException("both the new task and the replay need samples");
        if (!(regularisation > 0)) throw new ArgumentOutOfRangeException(nameof(regularisation), regularisation, "C must be positive");
        int d = newTask[0].Length;
        if (newTask.Concat(replay).Any(x => x.Length != d)) throw new ArgumentException("every feature vector must have the same length");
        var all = newTask.Concat(replay).ToList();
        var mean = new double[d];
        var scale = new double[d];
        for (int j = 0; j < d; j++)
        {
            mean[j] = all.Average(x => x[j]);
            double sd = Math.Sqrt(all.Average(x => (x[j] - mean[j]) * (x[j] - mean[j])));
            scale[j] = sd > 1e-12 ? sd : 1.0;
        }
        int n1 = newTask.Count, n0 = replay.Count, n = n1 + n0;
        var xs = all.Select(x => x.Select((v, j) => (v - mean[j]) / scale[j]).Append(1.0).ToArray()).ToArray(); // last column: bias
        var ys = Enumerable.Range(0, n).Select(i => i < n1 ? 1.0 : 0.0).ToArray();
        var cw = Enumerable.Range(0, n).Select(i => i < n1 ? n / (2.0 * n1) : n / (2.0 * n0)).ToArray();

        // minimise ½‖w‖² (bias unpenalised) + C Σ c_i·logloss_i by Newton steps
        int k = d + 1;
        var w = new double[k];
        int iterations = 0;
        for (; iterations < maxIterations; iterations++)
        {
            var g = new double[k];
            var h = new double[k * k];
            for (int a = 0; a < d; a++)
            {
                g[a] = w[a];
                h[a * k + a] = 1;
            }
            for (int i = 0; i < n; i++)
            {
                double p = Sigmoid(Dot(w, xs[i]));
                double r = regularisation * cw[i] * (p - ys[i]);
                double s = regularisation * cw[i] * p * (1 - p);
                for (int a = 0; a < k; a++)
                {
                    g[a] += r * xs[i][a];
                    for (int b = 0; b < k; b++) h[a * k + b] += s * xs[i][a] * xs[i][b];
                }
            }
            h[k * k - 1] += 1e-8; // the unpenalised bias: keep the system definite
            var step = Solve(h, g, k);
            for (int a = 0; a < k; a++) w[a] -= step[a];
            if (step.Max(Math.Abs) < 1e-10) break;
        }

        var weights = w.Take(d).ToArray();
        double bias = w[d];
        double loss = 0, correct1 = 0, correct0 = 0;
        for (int i = 0; i < n; i++)
        {
            double p = Sigmoid(Dot(w, xs[i]));
            loss += cw[i] * -(ys[i] == 1 ? Math.Log(Math.Max(p, 1e-300)) : Math.Log(Math.Max(1 - p, 1e-300)));
            if (i < n1 && p >= 0.5) correct1++;
            if (i >= n1 && p < 0.5) correct0++;
        }
        var odds = Enumerable.Range(n1, n0).Select(i => Beta(Dot(w, xs[i]), oddsClip, oddsFloor)).ToArray();
        double sum = odds.Sum(), sumSq = odds.Sum(b => b * b);
        double ess = sumSq > 0 ? sum * sum / (n0 * sumSq) : 0;
        return new PropensityFit(weights, bias, mean, scale, odds, ess, 1 - ess, 0.5 * (correct1 / n1 + correct0 / n0), loss / n, iterations + 1);
    }

    private static double Sigmoid(double z) => z >= 0 ? 1 / (1 + Math.Exp(-z)) : Math.Exp(z) / (1 + Math.Exp(z));

    private static double Dot(double[] w, double[] x)
    {
        double s = 0;
        for (int a = 0; a < w.Length; a++) s += w[a] * x[a];
        return s;
    }

    /// <summary>Solves H x = g (H symmetric positive definite: the regularised logistic Hessian).</summary>
    private static double[] Solve(double[] h, double[] g, int k)
    {
        var l = (double[])h.Clone();
        if (!Common.Cholesky.Factor(l, k, minimumPivot: 0)) throw new InvalidOperationException("the logistic Hessian is not positive definite");
        return Common.Cholesky.Solve(l, g, k);
    }
}
