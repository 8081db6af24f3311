using MetaRl.Learning.Common;

namespace MetaRl.Learning.Environments;

/// <summary>
/// A box inside a family's latent space: one [low, high] interval per unit-interval latent dimension,
/// in latent units (for HalfCheetah-Vel, [0.5, 1] is goal velocities 3.5–7 m/s). Tasks drawn in it
/// are uniform over the box — the original distribution restricted to it. This is how a run sets
/// MQL's meta-training tasks and its test tasks apart, for an out-of-distribution split.
/// </summary>
public static class LatentRange
{
    /// <summary>Problems with <paramref name="range"/> for <paramref name="family"/>, each naming <paramref name="field"/>; empty when valid.</summary>
    public static IReadOnlyList<string> Validate(ITaskFamily family, double[][]? range, string field)
    {
        if (range is null) return [];
        var e = new List<string>();
        if (range.Length != family.Latents.Count)
        {
            e.Add($"{field} has {range.Length} intervals; allowed: one [low, high] per latent dimension of {family.Name} ({string.Join(", ", family.Latents.Select(l => l.Name))})");
            return e;
        }
        for (int i = 0; i < range.Length; i++)
        {
            var latent = family.Latents[i];
            if (latent.Kind != LatentKind.UnitInterval)
                e.Add($"{field}[{i}] ({latent.Name}) cannot be restricted; allowed: ranges only on unit-interval latents");
            else if (range[i] is not { Length: 2 } r || !(r[0] >= 0 && r[0] < r[1] && r[1] <= 1))
                e.Add($"{field}[{i}] ({latent.Name}) is invalid; allowed: [low, high] with 0 ≤ low < high ≤ 1");
        }
        return e;
    }

    /// <summary>A draw uniform over the box (the original distribution when <paramref name="range"/> is null).</summary>
    public static MetaTask Sample(ITaskFamily family, double[][]? range, RandomStream rng)
    {
        if (range is null) return family.SampleTask(rng);
        var latent = new double[family.Latents.Count];
        for (int i = 0; i < latent.Length; i++) latent[i] = range[i][0] + (range[i][1] - range[i][0]) * rng.NextDouble();
        return family.TaskAt(latent);
    }
}
