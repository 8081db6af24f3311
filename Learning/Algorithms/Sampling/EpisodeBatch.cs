using MetaRl.Learning.Environments;

namespace MetaRl.Learning.Algorithms.Sampling;

/// <summary>
/// The episodes collected on one task: M episodes of at most H steps, row-major [episode, step, …].
/// Steps after an episode ended early are padding (mask 0, reward 0).
/// </summary>
public sealed class EpisodeBatch
{
    public EpisodeBatch(MetaTask task, int episodes, int horizon, int observationSize, int actionSize)
    {
        Task = task;
        Episodes = episodes;
        Horizon = horizon;
        ObservationSize = observationSize;
        ActionSize = actionSize;
        Observations = new float[episodes * horizon * observationSize];
        Actions = new float[episodes * horizon * actionSize];
        Rewards = new float[episodes * horizon];
        Lengths = new int[episodes];
    }

    public MetaTask Task { get; }
    public int Episodes { get; }
    public int Horizon { get; }
    public int ObservationSize { get; }
    public int ActionSize { get; }

    /// <summary>The observation each action was taken in.</summary>
    public float[] Observations { get; }
    public float[] Actions { get; }
    public float[] Rewards { get; }

    /// <summary>Valid steps per episode (H unless it terminated earlier).</summary>
    public int[] Lengths { get; }

    /// <summary>Episodes that ended in bad physics (their remaining steps are padding).</summary>
    public int BadPhysicsEpisodes { get; internal set; }

    public int Steps => Lengths.Sum();

    /// <summary>Undiscounted return of each episode.</summary>
    public double[] EpisodeReturns()
    {
        var r = new double[Episodes];
        for (int e = 0; e < Episodes; e++)
            for (int t = 0; t < Lengths[e]; t++) r[e] += Rewards[e * Horizon + t];
        return r;
    }

    /// <summary>The task's return: the mean over its episodes.</summary>
    public double MeanReturn() => EpisodeReturns().Average();
}
