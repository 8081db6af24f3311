using MetaRl.Learning.Common;
using MetaRl.Learning.Environments;

namespace MetaRl.Learning.Evaluation;

/// <summary>The reference every learner must beat: actions uniform over the action space.</summary>
public static class RandomPolicy
{
    /// <summary>Per task, the mean return of <paramref name="episodes"/> episodes of uniform random actions.</summary>
    public static double[] MeanReturns(IRlTaskFamily family, IReadOnlyList<MetaTask> tasks, int episodes, ulong seed, int threads = 0)
    {
        var envs = new List<IEnvironment>();
        for (int i = 0; i < tasks.Count; i++)
            for (int e = 0; e < episodes; e++) envs.Add(family.CreateEnvironment(tasks[i], RandomStream.FromKeys(seed, (ulong)i, (ulong)e).NextUInt64()));
        using var batch = new EnvironmentBatch(envs, family.ActionSpace.Size, threads);
        var rng = new RandomStream(seed);
        var obs = new float[batch.Count * batch.ObservationSize];
        var actions = new float[batch.Count * batch.ActionSize];
        var results = new StepResult[batch.Count];
        var active = Enumerable.Repeat(true, batch.Count).ToArray();
        var returns = new double[batch.Count];
        batch.Reset(obs);
        for (int t = 0; t < family.Horizon; t++)
        {
            for (int k = 0; k < batch.Count; k++)
            {
                var a = actions.AsSpan(k * batch.ActionSize, batch.ActionSize);
                switch (family.ActionSpace)
                {
                    case BoxSpace box:
                        for (int j = 0; j < a.Length; j++) a[j] = (float)rng.NextUniform(box.Low[j], box.High[j]);
                        break;
                    case DiscreteSpace d:
                        a[0] = rng.NextInt(d.Count);
                        break;
                }
            }
            batch.Step(actions, obs, results, active);
            for (int k = 0; k < batch.Count; k++)
            {
                if (!active[k]) continue;
                returns[k] += results[k].Reward;
                if (results[k].Terminated) active[k] = false;
            }
        }
        return Enumerable.Range(0, tasks.Count).Select(i => returns.Skip(i * episodes).Take(episodes).Average()).ToArray();
    }
}
