using MetaRl.Learning.Common;
using MetaRl.Learning.Environments;

namespace MetaRl.Learning.Tests.Environments;

/// <summary>Runs environments with scripted or seeded-random actions and records what came out.</summary>
public static class EnvironmentHarness
{
    public sealed record Trajectory(List<float[]> Observations, List<StepResult> Steps);

    /// <summary>Reset, then <paramref name="steps"/> steps with actions from <paramref name="policy"/> (step index → action).</summary>
    public static Trajectory Run(IEnvironment env, int steps, Func<int, float[]> policy, bool reset = true)
    {
        var obs = new float[env.ObservationSize];
        var observations = new List<float[]>();
        var results = new List<StepResult>();
        if (reset)
        {
            env.Reset(obs);
            observations.Add((float[])obs.Clone());
        }
        for (int t = 0; t < steps; t++)
        {
            var r = env.Step(policy(t), obs);
            results.Add(r);
            observations.Add((float[])obs.Clone());
            if (r.Done) break;
        }
        return new Trajectory(observations, results);
    }

    /// <summary>Uniform actions in the family's action space from a seeded stream.</summary>
    public static Func<int, float[]> RandomPolicy(Space actionSpace, ulong seed)
    {
        var rng = new RandomStream(seed);
        return _ => actionSpace switch
        {
            BoxSpace box => box.Low.Select((lo, i) => (float)rng.NextUniform(Math.Max(lo, -1), Math.Min(box.High[i], 1))).ToArray(),
            DiscreteSpace d => [rng.NextInt(d.Count)],
            _ => throw new ArgumentException("unknown space"),
        };
    }

    public static void AssertSame(Trajectory a, Trajectory b)
    {
        Assert.AreEqual(a.Steps.Count, b.Steps.Count, "trajectory lengths");
        for (int t = 0; t < a.Observations.Count; t++) CollectionAssert.AreEqual(a.Observations[t], b.Observations[t], $"observation {t}");
        for (int t = 0; t < a.Steps.Count; t++) Assert.AreEqual(a.Steps[t], b.Steps[t], $"step {t}");
    }
}
