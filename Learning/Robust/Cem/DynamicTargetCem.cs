using MetaRl.Learning.Common;
using MetaRl.Learning.Environments;

namespace MetaRl.Learning.Robust.Cem;

/// <summary>
/// The dynamic-target cross-entropy method RoML samples training tasks with, over a product of
/// per-coordinate families (Beta by mean, exponential, categorical). For a batch of N tasks:
/// <list type="bullet">
/// <item>Sampling: ⌊ν·N⌋ positions chosen anew at random are drawn from φ0 (weight 1); the others from
/// φ, with importance weight w = p_φ0(x)/p_φ(x).</item>
/// <item>Update, once the N scores are in: q_int = plain β-quantile of the scores; q_ref = the
/// importance-weighted α-quantile (<see cref="Cvar.WeightedQuantile"/>); q = max(q_int, q_ref);
/// select the samples scoring below q, topping up with samples scoring exactly q (at random) to at
/// least ⌊β·N⌋; φ_new = weighted MLE over the selected samples; φ ← s·φ + (1 − s)·φ_new. With
/// nothing selected φ stays.</item>
/// </list>
/// </summary>
public sealed class DynamicTargetCem
{
    private readonly ILatentDistribution[] _dimensions;
    private readonly RandomStream _random;
    private readonly List<CemUpdateRecord> _history = new();
    private double[][] _phi;
    private readonly double[][] _phi0;
    private CemSample[]? _pending;

    public DynamicTargetCem(IReadOnlyList<ILatentDistribution> dimensions, CemSettings settings, ulong seed)
    {
        var errors = settings.Validate();
        if (errors.Count > 0) throw new ArgumentException(string.Join("; ", errors), nameof(settings));
        if (dimensions.Count == 0) throw new ArgumentException("the CEM needs at least one latent dimension", nameof(dimensions));
        _dimensions = dimensions.ToArray();
        Settings = settings;
        Alpha = settings.Alpha;
        _random = new RandomStream(seed);
        _phi0 = _dimensions.Select(d => d.Original).ToArray();
        _phi = _phi0.Select(p => (double[])p.Clone()).ToArray();
    }

    /// <summary>The distribution families matching a task family's latent dimensions.</summary>
    public static IReadOnlyList<ILatentDistribution> DistributionsFor(ITaskFamily family, double epsilon = 0.02) =>
        family.Latents.Select<LatentDimension, ILatentDistribution>(l => l.Kind switch
        {
            LatentKind.UnitInterval => new BetaMeanDistribution(epsilon),
            LatentKind.Exponential => new ExponentialDistribution(l.OriginalMean),
            LatentKind.Categorical => new CategoricalDistribution(l.Categories, epsilon),
            _ => throw new ArgumentOutOfRangeException(nameof(family)),
        }).ToList();

    public static DynamicTargetCem ForFamily(ITaskFamily family, CemSettings settings, ulong seed) =>
        new(DistributionsFor(family, settings.Epsilon), settings, seed);

    public CemSettings Settings { get; }

    /// <summary>The reference α used at the next update (RoML's soft schedule changes it over training).</summary>
    public double Alpha { get; set; }

    public IReadOnlyList<ILatentDistribution> Dimensions => _dimensions;
    public IReadOnlyList<double[]> Phi => _phi;
    public IReadOnlyList<double[]> Phi0 => _phi0;
    public IReadOnlyList<CemSample>? Pending => _pending;
    public IReadOnlyList<CemUpdateRecord> History => _history;

    /// <summary>The batch awaiting scores; a new one is drawn when none is pending (so calling twice returns the same batch).</summary>
    public IReadOnlyList<CemSample> SampleBatch()
    {
        if (_pending is not null) return _pending;
        int n = Settings.BatchSize;
        int fromOriginal = (int)Math.Floor(Settings.OriginalFraction * n);
        var positions = Enumerable.Range(0, n).ToArray();
        _random.Shuffle(positions.AsSpan());
        var original = new bool[n];
        for (int k = 0; k < fromOriginal; k++) original[positions[k]] = true;
        var batch = new CemSample[n];
        for (int i = 0; i < n; i++)
        {
            var phi = original[i] ? _phi0 : _phi;
            var x = new double[_dimensions.Length];
            for (int d = 0; d < x.Length; d++) x[d] = _dimensions[d].Sample(phi[d], _random);
            batch[i] = new CemSample(x, original[i] ? 1.0 : ImportanceWeight(x), original[i]);
        }
        _pending = batch;
        return batch;
    }

    /// <summary>w = p_φ0(x) / p_φ(x) under the current φ.</summary>
    public double ImportanceWeight(ReadOnlySpan<double> x)
    {
        double log = 0;
        for (int d = 0; d < _dimensions.Length; d++) log += _dimensions[d].LogPdf(x[d], _phi0[d]) - _dimensions[d].LogPdf(x[d], _phi[d]);
        return Math.Exp(log);
    }

    /// <summary>Feeds the pending batch's scores (returns, or −loss) and updates φ.</summary>
    public CemUpdateRecord Update(IReadOnlyList<double> scores)
    {
        var batch = _pending ?? throw new InvalidOperationException("no CEM batch is pending: call SampleBatch first");
        if (scores.Count != batch.Length) throw new ArgumentException($"{scores.Count} scores for a batch of {batch.Length}", nameof(scores));
        if (scores.Any(s => !double.IsFinite(s))) throw new ArgumentException("scores must be finite", nameof(scores));
        int n = batch.Length;
        var weights = batch.Select(b => b.Weight).ToArray();
        double qInt = Cvar.Quantile(scores, Settings.MinBatchUpdate);
        double qRef = Cvar.WeightedQuantile(scores, weights, Alpha);
        double q = Math.Max(qInt, qRef);

        var selected = new bool[n];
        for (int i = 0; i < n; i++) selected[i] = scores[i] < q;
        int minimum = (int)Math.Floor(Settings.MinBatchUpdate * n);
        int count = selected.Count(s => s);
        if (count < minimum)
        {
            var ties = Enumerable.Range(0, n).Where(i => !selected[i] && scores[i] == q).ToArray();
            _random.Shuffle(ties.AsSpan());
            foreach (var i in ties.Take(minimum - count)) selected[i] = true;
        }

        var before = _phi.Select(p => (double[])p.Clone()).ToArray();
        var chosen = Enumerable.Range(0, n).Where(i => selected[i]).ToArray();
        if (chosen.Length > 0)
        {
            var chosenWeights = chosen.Select(i => weights[i]).ToArray();
            for (int d = 0; d < _dimensions.Length; d++)
            {
                var fitted = _dimensions[d].Fit(chosen.Select(i => batch[i].Latent[d]).ToArray(), chosenWeights);
                for (int k = 0; k < fitted.Length; k++)
                    _phi[d][k] = Settings.SoftUpdate * _phi[d][k] + (1 - Settings.SoftUpdate) * fitted[k];
            }
        }
        var record = new CemUpdateRecord(_history.Count, before, _phi.Select(p => (double[])p.Clone()).ToArray(), qInt, qRef, q,
            batch.Select(b => b.Latent).ToArray(), weights, scores.ToArray(), selected, batch.Select(b => b.FromOriginal).ToArray(),
            Alpha, Settings.MinBatchUpdate, Settings.SoftUpdate, Settings.Epsilon, _dimensions.Select(d => d.Kind).ToArray());
        _history.Add(record);
        _pending = null;
        return record;
    }

    public CemState SaveState() => new(
        _phi.Select(p => (double[])p.Clone()).ToArray(),
        _phi0.Select(p => (double[])p.Clone()).ToArray(),
        _pending?.ToArray(),
        _history.ToList(),
        _random.GetState());

    /// <summary>Restores a saved state (over the same dimensions); mismatched shapes throw and change nothing.</summary>
    public void RestoreState(CemState state)
    {
        if (state.Phi.Length != _dimensions.Length || state.Phi.Where((p, d) => p.Length != _phi0[d].Length).Any())
            throw new ArgumentException("CEM state does not match this sampler's dimensions", nameof(state));
        _random.SetState(state.RandomState);
        _phi = state.Phi.Select(p => (double[])p.Clone()).ToArray();
        _pending = state.Pending?.ToArray();
        _history.Clear();
        _history.AddRange(state.History);
    }
}
