using System.Runtime.InteropServices;
using MetaRl.Learning.Algorithms.Policies;
using MetaRl.Learning.Common;
using MetaRl.Learning.Environments;
using static TorchSharp.torch;

namespace MetaRl.Learning.Algorithms.Sampling;

/// <summary>
/// Collects episodes for a batch of tasks, each task with its own policy parameters (θ before
/// adaptation, θ'_i after), all environments of all tasks stepped in lockstep across the cores, the
/// policy evaluated once per step for every task at once (the tasks' parameters stacked along a
/// leading dimension). Deterministic: environment seeds come from the given seed, task and episode
/// indices, and every step's actions are drawn in one call from one generator.
/// </summary>
public sealed class RolloutSampler(IRlTaskFamily family, IPolicy policy, int threads)
{
    public IRlTaskFamily Family { get; } = family;

    /// <summary>Environment steps taken so far.</summary>
    public long StepsTaken { get; private set; }

    public IReadOnlyList<EpisodeBatch> Sample(IReadOnlyList<MetaTask> tasks, IReadOnlyList<IReadOnlyList<Tensor>> parametersPerTask,
        int episodesPerTask, ulong seed, Generator actions, bool deterministic = false)
    {
        if (parametersPerTask.Count != tasks.Count) throw new ArgumentException("one parameter list per task", nameof(parametersPerTask));
        int n = tasks.Count, m = episodesPerTask, horizon = Family.Horizon;
        int obsSize = Family.ObservationSpace.Size, actSize = Family.ActionSpace.Size;
        var environments = new List<IEnvironment>(n * m);
        for (int i = 0; i < n; i++)
            for (int e = 0; e < m; e++)
                environments.Add(Family.CreateEnvironment(tasks[i], RandomStream.FromKeys(seed, (ulong)i, (ulong)e).NextUInt64()));
        using var batch = new EnvironmentBatch(environments, actSize, threads);
        var result = tasks.Select(t => new EpisodeBatch(t, m, horizon, obsSize, actSize)).ToArray();
        var observations = new float[n * m * obsSize];
        var actionBuffer = new float[n * m * actSize];
        var steps = new StepResult[n * m];
        var active = Enumerable.Repeat(true, n * m).ToArray();
        batch.Reset(observations);

        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var stacked = Stack(parametersPerTask);
        for (int t = 0; t < horizon; t++)
        {
            using (var step = NewDisposeScope())
            {
                var obs = tensor(observations, [n, m, obsSize]);
                var dist = policy.DistributionBatched(obs, stacked);
                var a = (deterministic ? dist.Mode() : dist.Sample(actions)).contiguous();
                MemoryMarshal.Cast<byte, float>(a.bytes).CopyTo(actionBuffer);
            }
            // Record (s_t, a_t) before stepping overwrites the observations.
            for (int k = 0; k < n * m; k++)
            {
                if (!active[k]) continue;
                int i = k / m, e = k % m;
                observations.AsSpan(k * obsSize, obsSize).CopyTo(result[i].Observations.AsSpan((e * horizon + t) * obsSize));
                actionBuffer.AsSpan(k * actSize, actSize).CopyTo(result[i].Actions.AsSpan((e * horizon + t) * actSize));
            }
            batch.Step(actionBuffer, observations, steps, active);
            for (int k = 0; k < n * m; k++)
            {
                if (!active[k]) continue;
                int i = k / m, e = k % m;
                result[i].Rewards[e * horizon + t] = (float)steps[k].Reward;
                result[i].Lengths[e] = t + 1;
                StepsTaken++;
                if (steps[k].Terminated)
                {
                    active[k] = false;
                    if (steps[k].BadPhysics) result[i].BadPhysicsEpisodes++;
                }
            }
        }
        return result;
    }

    /// <summary>Each parameter of every task stacked along a leading task dimension (shared parameters are expanded, not copied).</summary>
    private static IReadOnlyList<Tensor> Stack(IReadOnlyList<IReadOnlyList<Tensor>> parametersPerTask)
    {
        int n = parametersPerTask.Count;
        var first = parametersPerTask[0];
        if (parametersPerTask.All(p => ReferenceEquals(p, first)))
            return first.Select(p => p.detach().unsqueeze(0).expand([n, .. p.shape])).ToList();
        return Enumerable.Range(0, first.Count).Select(k => stack(parametersPerTask.Select(p => p[k].detach()).ToList(), 0)).ToList();
    }
}
