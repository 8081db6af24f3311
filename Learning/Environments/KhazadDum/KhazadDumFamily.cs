namespace MetaRl.Learning.Environments.KhazadDum;

/// <summary>
/// Khazad-Dum (RoML): reach the goal across an abyss by a short narrow bridge or a long wide one,
/// where moves on the bridges are noisy. The task is the noise level: one latent "noise" ≥ 0,
/// exponential with mean 0.1 under the original distribution, used as is for the parameter "noise".
/// Dynamics and rewards: <see cref="KhazadDumEnvironment"/>. Registered twice: "Khazad-Dum" with the
/// four discrete moves, "Khazad-Dum-Continuous" with a 2-D step in [−1, 1]² (norm clipped to 1).
/// </summary>
public sealed class KhazadDumFamily : IRlTaskFamily
{
    public const string DiscreteName = "Khazad-Dum";
    public const string ContinuousName = "Khazad-Dum-Continuous";
    public const double OriginalMeanNoise = 0.1;

    public KhazadDumFamily(bool continuous)
    {
        Continuous = continuous;
        Name = continuous ? ContinuousName : DiscreteName;
        ActionSpace = continuous ? BoxSpace.Symmetric(2, 1) : new DiscreteSpace(4);
    }

    public bool Continuous { get; }

    public string Name { get; }

    public IReadOnlyList<LatentDimension> Latents { get; } = [LatentDimension.Exponential("noise", OriginalMeanNoise)];

    public IReadOnlyList<string> ParameterNames { get; } = ["noise"];

    public int Horizon => KhazadDumEnvironment.EpisodeSteps;

    /// <summary>[x/11, y/9, steps/32], each in [0, 1] within the horizon.</summary>
    public BoxSpace ObservationSpace { get; } = new([0, 0, 0], [1, 1, 1]);

    public Space ActionSpace { get; }

    public double[] ToParameters(ReadOnlySpan<double> latent)
    {
        LatentGuard.Check(this, latent);
        return [latent[0]];
    }

    public IEnvironment CreateEnvironment(MetaTask task, ulong seed) => new KhazadDumEnvironment(task, seed, Continuous);
}
