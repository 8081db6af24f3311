using System.Runtime.InteropServices;
using MetaRl.Learning.Common;
using MetaRl.Learning.Environments;
using MetaRl.Learning.Nets;
using static TorchSharp.torch;

namespace MetaRl.Learning.Algorithms.Mql;

/// <summary>How a context rollout picks actions.</summary>
public enum RolloutMode
{
    /// <summary>Uniformly random actions in the action box (TD3's burn-in).</summary>
    Random,

    /// <summary>The actor plus Gaussian noise of the configured scale, clipped to the box (exploration).</summary>
    Explore,

    /// <summary>The actor's action (evaluation).</summary>
    Deterministic,
}

/// <summary>What a context rollout produced: each task's episode return and the steps taken.</summary>
public sealed record RolloutResult(double[] Returns, long Steps, int BadPhysicsEpisodes);

/// <summary>
/// One episode per task with context-conditioned actors, all environments stepped in lockstep across
/// the cores. At every step each environment's context window is its last H transitions
/// (action, reward, observation), zeros before the episode start; the actor (one for all tasks, or
/// one per task) reads it with the observation. Transitions are appended to each task's replay when
/// one is given. Deterministic: environment seeds come from <c>seed</c>, noise and random actions
/// from the given generator.
/// </summary>
public sealed class ContextRollout(IRlTaskFamily family, int history, int threads)
{
    public int History { get; } = history;

    public RolloutResult Run(IReadOnlyList<MetaTask> tasks, IReadOnlyList<ContextActor> actors, RolloutMode mode, double noise,
        Generator? generator, IReadOnlyList<TaskReplay?>? sinks, ulong seed)
    {
        int n = tasks.Count;
        if (actors.Count != 1 && actors.Count != n) throw new ArgumentException("one actor for every task, or one per task", nameof(actors));
        if (mode != RolloutMode.Deterministic && generator is null) throw new ArgumentException("random and exploring rollouts need a generator", nameof(generator));
        var box = family.ActionSpace as BoxSpace ?? throw new NotSupportedException($"MQL needs a continuous action space; {family.Name} has {family.ActionSpace}");
        int obs = family.ObservationSpace.Size, act = box.Size, f = act + 1 + obs, h = History;
        double bound = box.High.Max();
        var environments = Enumerable.Range(0, n).Select(i => family.CreateEnvironment(tasks[i], RandomStream.FromKeys(seed, (ulong)i).NextUInt64())).ToList();
        using var batch = new EnvironmentBatch(environments, act, threads);
        var observations = new float[n * obs];
        var next = new float[n * obs];
        var actions = new float[n * act];
        var windows = new float[h * n * f];
        var results = new StepResult[n];
        var active = Enumerable.Repeat(true, n).ToArray();
        var returns = new double[n];
        var recent = Enumerable.Range(0, n).Select(_ => new Queue<float[]>()).ToArray();
        long steps = 0;
        int bad = 0;
        batch.Reset(observations);
        using var noGrad = no_grad();
        for (int t = 0; t < family.Horizon && active.Any(a => a); t++)
        {
            ChooseActions(actors, mode, noise, generator, bound, n, obs, act, f, h, observations, windows, actions, recent);
            for (int i = 0; i < n; i++) box.Clip(actions.AsSpan(i * act, act));
            Array.Copy(observations, next, observations.Length);
            batch.Step(actions, next, results, active);
            for (int i = 0; i < n; i++)
            {
                if (!active[i]) continue;
                var o = observations.AsSpan(i * obs, obs);
                var a = actions.AsSpan(i * act, act);
                float r = (float)results[i].Reward;
                sinks?[i]?.Add(o, a, r, next.AsSpan(i * obs, obs), results[i].Terminated, t);
                var row = new float[f];
                a.CopyTo(row);
                row[act] = r;
                o.CopyTo(row.AsSpan(act + 1));
                recent[i].Enqueue(row);
                if (recent[i].Count > h) recent[i].Dequeue();
                returns[i] += r;
                steps++;
                if (results[i].Done)
                {
                    active[i] = false;
                    if (results[i].BadPhysics) bad++;
                }
            }
            Array.Copy(next, observations, observations.Length);
        }
        return new RolloutResult(returns, steps, bad);
    }

    private static void ChooseActions(IReadOnlyList<ContextActor> actors, RolloutMode mode, double noise, Generator? generator, double bound,
        int n, int obs, int act, int f, int h, float[] observations, float[] windows, float[] actions, Queue<float[]>[] recent)
    {
        using var scope = NewDisposeScope();
        if (mode == RolloutMode.Random)
        {
            var u = (rand([n, act], generator: generator) * 2 - 1) * bound;
            MemoryMarshal.Cast<byte, float>(u.contiguous().bytes).CopyTo(actions);
            return;
        }
        // windows [h, n, f]: each task's last transitions, oldest first, zeros in front.
        Array.Clear(windows);
        for (int i = 0; i < n; i++)
        {
            int k = 0, count = recent[i].Count;
            foreach (var row in recent[i])
                row.CopyTo(windows.AsSpan(((h - count + k++) * n + i) * f, f));
        }
        var o = TensorValues.FromSpan(observations, n, obs);
        var w = TensorValues.FromSpan(windows, h, n, f);
        Tensor a;
        if (actors.Count == 1) a = actors[0].call(o, w);
        else a = cat(Enumerable.Range(0, n).Select(i => actors[i].call(o.narrow(0, i, 1), w.narrow(1, i, 1))).ToList(), 0);
        if (mode == RolloutMode.Explore && noise > 0) a = a + randn([n, act], generator: generator) * (noise * bound);
        MemoryMarshal.Cast<byte, float>(a.contiguous().bytes).CopyTo(actions);
    }
}
