using System.Runtime.InteropServices;
using MetaRl.Learning.Common;
using MetaRl.Learning.Environments;
using MetaRl.Learning.Nets;
using static TorchSharp.torch;

namespace MetaRl.Learning.Algorithms.Recurrent;

/// <summary>
/// Trials of a batch: for each entry, k consecutive episodes of its task with the policy's hidden state
/// carried across them (reset only at the trial's start). Per step, in trial order: the input the GRU
/// read, the action, the reward, the episode index, and the sampling policy's log-probability and value.
/// Padded to k·H steps; <see cref="Lengths"/> holds each trial's valid steps.
/// </summary>
public sealed class Trials
{
    public Trials(int count, int maxSteps, int inputSize, int actionSize)
    {
        Count = count;
        MaxSteps = maxSteps;
        InputSize = inputSize;
        ActionSize = actionSize;
        Inputs = new float[maxSteps * count * inputSize];
        Actions = new float[maxSteps * count * actionSize];
        Rewards = new float[count * maxSteps];
        Episodes = new int[count * maxSteps];
        LogProbs = new float[count * maxSteps];
        Values = new float[count * maxSteps];
        Lengths = new int[count];
    }

    public int Count { get; }
    public int MaxSteps { get; }
    public int InputSize { get; }
    public int ActionSize { get; }

    /// <summary>[step, trial, input] (time-major, as the GRU reads it).</summary>
    public float[] Inputs { get; }

    /// <summary>[step, trial, action].</summary>
    public float[] Actions { get; }

    /// <summary>[trial, step] for the scalars below.</summary>
    public float[] Rewards { get; }
    public int[] Episodes { get; }
    public float[] LogProbs { get; }
    public float[] Values { get; }
    public int[] Lengths { get; }
    public int BadPhysicsEpisodes { get; internal set; }

    /// <summary>Return of episode <paramref name="episode"/> of trial <paramref name="trial"/> (0 if it never ran).</summary>
    public double EpisodeReturn(int trial, int episode)
    {
        double sum = 0;
        for (int t = 0; t < Lengths[trial]; t++)
            if (Episodes[trial * MaxSteps + t] == episode) sum += Rewards[trial * MaxSteps + t];
        return sum;
    }
}

/// <summary>Runs trials for a batch of tasks in lockstep across the cores (deterministic: seeds per task and trial, one action draw per step).</summary>
public sealed class TrialRollout(IRlTaskFamily family, RecurrentPolicy policy, int episodesPerTrial, int threads)
{
    public int EpisodesPerTrial { get; } = episodesPerTrial;

    /// <param name="tasks">One entry per trial (repeat a task for several trials of it).</param>
    public Trials Run(IReadOnlyList<MetaTask> tasks, ulong seed, Generator actions, bool deterministic = false)
    {
        int n = tasks.Count, h = family.Horizon, k = EpisodesPerTrial, maxSteps = k * h;
        int obs = policy.ObservationSize, act = policy.ActionSize, input = policy.InputSize;
        var trials = new Trials(n, maxSteps, input, act);
        var environments = Enumerable.Range(0, n).Select(i => family.CreateEnvironment(tasks[i], RandomStream.FromKeys(seed, (ulong)i).NextUInt64())).ToList();
        using var batch = new EnvironmentBatch(environments, act, threads);
        var observations = new float[n * obs];
        var actionBuffer = new float[n * act];
        // Continuous actions: the policy acts in [−1, 1] per dimension (its Gaussian starts at std 1
        // there), mapped onto the box [low, high] for the environment — without it, a bound of 0.1
        // (Point-Robot) saturates nearly every draw and the mean gets almost no gradient.
        var box = family.ActionSpace as BoxSpace;
        var bound = box?.High;
        var envActions = bound is null ? actionBuffer : new float[n * act];
        var previousAction = new float[n * act];
        var previousReward = new float[n];
        var previousDone = new bool[n];
        var results = new StepResult[n];
        var episode = new int[n];
        var active = Enumerable.Repeat(true, n).ToArray();
        var stepInput = new float[n * input];
        batch.Reset(observations);

        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var hidden = zeros(1, n, policy.Width);
        for (int t = 0; t < maxSteps && active.Any(a => a); t++)
        {
            for (int i = 0; i < n; i++)
            {
                var row = stepInput.AsSpan(i * input, input);
                if (!active[i])
                {
                    row.Clear();
                    continue;
                }
                policy.Input(observations.AsSpan(i * obs, obs), previousAction.AsSpan(i * act, act), previousReward[i], previousDone[i], t == 0, row);
                row.CopyTo(trials.Inputs.AsSpan((t * n + i) * input, input));
            }
            using (var step = NewDisposeScope())
            {
                var (outputs, next) = policy.Recur(TensorValues.FromSpan(stepInput, 1, n, input), hidden);
                hidden.Dispose();
                hidden = next.MoveToOuterDisposeScope();
                var o = outputs[0];
                var dist = policy.Distribution(o);
                var a = (deterministic ? dist.Mode() : dist.Sample(actions)).contiguous();
                var logp = dist.LogProb(a).contiguous();
                var value = policy.Value(o).contiguous();
                MemoryMarshal.Cast<byte, float>(a.to_type(ScalarType.Float32).bytes).CopyTo(actionBuffer);
                var lp = logp.data<float>().ToArray();
                var v = value.data<float>().ToArray();
                for (int i = 0; i < n; i++)
                {
                    if (!active[i]) continue;
                    trials.LogProbs[i * maxSteps + t] = lp[i];
                    trials.Values[i * maxSteps + t] = v[i];
                }
            }
            if (bound is not null)
                for (int j = 0; j < envActions.Length; j++)
                {
                    double lo = box!.Low[j % act], hi = box.High[j % act];
                    envActions[j] = (float)(lo + (Math.Clamp(actionBuffer[j], -1f, 1f) + 1) * 0.5 * (hi - lo));
                }
            batch.Step(envActions, observations, results, active);
            for (int i = 0; i < n; i++)
            {
                if (!active[i]) continue;
                actionBuffer.AsSpan(i * act, act).CopyTo(trials.Actions.AsSpan((t * n + i) * act, act));
                trials.Rewards[i * maxSteps + t] = (float)results[i].Reward;
                trials.Episodes[i * maxSteps + t] = episode[i];
                trials.Lengths[i] = t + 1;
                for (int j = 0; j < act; j++)
                    previousAction[i * act + j] = bound is null ? actionBuffer[i * act + j] : Math.Clamp(actionBuffer[i * act + j], -1f, 1f);
                previousReward[i] = (float)results[i].Reward;
                previousDone[i] = results[i].Done;
                if (!results[i].Done) continue;
                if (results[i].BadPhysics) trials.BadPhysicsEpisodes++;
                if (++episode[i] == k) active[i] = false;
                else environments[i].Reset(observations.AsSpan(i * obs, obs));
            }
        }
        hidden.Dispose();
        return trials;
    }
}
