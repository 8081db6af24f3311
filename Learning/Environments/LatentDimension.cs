namespace MetaRl.Learning.Environments;

/// <summary>How a latent task coordinate is distributed under the original task distribution.</summary>
public enum LatentKind
{
    /// <summary>u ∈ [0, 1], uniform originally (Beta(1, 1): a Beta-by-mean family with mean 0.5).</summary>
    UnitInterval,

    /// <summary>u ≥ 0, exponential with mean <see cref="LatentDimension.OriginalMean"/> originally.</summary>
    Exponential,

    /// <summary>u ∈ {0, …, k−1}, uniform originally.</summary>
    Categorical,
}

/// <summary>
/// One coordinate of a task family's latent space: the coordinates the robust sampler (RoML's CEM)
/// fits distributions over. The family maps latent vectors to its physical task parameters.
/// </summary>
public sealed record LatentDimension(string Name, LatentKind Kind, double OriginalMean = 0.5, int Categories = 0)
{
    public static LatentDimension Unit(string name) => new(name, LatentKind.UnitInterval);
    public static LatentDimension Exponential(string name, double mean) => new(name, LatentKind.Exponential, mean);
    public static LatentDimension Categorical(string name, int categories) => new(name, LatentKind.Categorical, (categories - 1) / 2.0, categories);

    /// <summary>A draw from the original distribution.</summary>
    public double Sample(Common.RandomStream rng) => Kind switch
    {
        LatentKind.UnitInterval => rng.NextDouble(),
        LatentKind.Exponential => -OriginalMean * Math.Log(1.0 - rng.NextDouble()),
        LatentKind.Categorical => rng.NextInt(Categories),
        _ => throw new InvalidOperationException(),
    };
}
