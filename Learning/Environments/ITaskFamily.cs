using MetaRl.Learning.Common;

namespace MetaRl.Learning.Environments;

/// <summary>
/// A family of tasks: a latent space with the original distribution over it, the mapping from
/// latent coordinates to task parameters, and (for RL families) environments for a given task.
/// </summary>
public interface ITaskFamily
{
    /// <summary>Registered name, e.g. "HalfCheetah-Vel".</summary>
    string Name { get; }

    IReadOnlyList<LatentDimension> Latents { get; }

    IReadOnlyList<string> ParameterNames { get; }

    /// <summary>The physical parameters of a latent point.</summary>
    double[] ToParameters(ReadOnlySpan<double> latent);
}

/// <summary>A family of reinforcement-learning tasks.</summary>
public interface IRlTaskFamily : ITaskFamily
{
    /// <summary>Steps per episode.</summary>
    int Horizon { get; }

    BoxSpace ObservationSpace { get; }

    Space ActionSpace { get; }

    /// <summary>A fresh environment for <paramref name="task"/> whose own random stream starts from <paramref name="seed"/>.</summary>
    IEnvironment CreateEnvironment(MetaTask task, ulong seed);
}

public static class TaskFamilyExtensions
{
    /// <summary>The task at <paramref name="latent"/>.</summary>
    public static MetaTask TaskAt(this ITaskFamily family, ReadOnlySpan<double> latent) =>
        new(family.Name, latent.ToArray(), family.ToParameters(latent), family.ParameterNames.ToArray());

    /// <summary>A draw from the original task distribution.</summary>
    public static MetaTask SampleTask(this ITaskFamily family, RandomStream rng)
    {
        var latent = new double[family.Latents.Count];
        for (int i = 0; i < latent.Length; i++) latent[i] = family.Latents[i].Sample(rng);
        return family.TaskAt(latent);
    }

    /// <summary>A fixed task set (test or validation): the same seed always gives the same tasks.</summary>
    public static IReadOnlyList<MetaTask> FixedTaskSet(this ITaskFamily family, int count, ulong seed) => family.FixedTaskSet(count, seed, null);

    /// <summary>A fixed task set drawn uniformly inside <paramref name="range"/> (<see cref="LatentRange"/>; null: the original distribution).</summary>
    public static IReadOnlyList<MetaTask> FixedTaskSet(this ITaskFamily family, int count, ulong seed, double[][]? range)
    {
        var rng = new RandomStream(seed);
        return Enumerable.Range(0, count).Select(_ => LatentRange.Sample(family, range, rng)).ToList();
    }
}
