using MetaRl.Learning.Common;
using MetaRl.Learning.Environments;

namespace MetaRl.Learning.Tests.Environments;

/// <summary>
/// Checks every RL family must pass: the environment agrees with the family's spaces and horizon,
/// runs are reproducible, a batch's results do not depend on its thread count, and a saved state
/// continues exactly like the original. Actions are random (Box actions deliberately overshoot the
/// bounds, so clipping is part of what is compared).
/// </summary>
internal static class FamilyHarness
{
    /// <summary>Everything a run produced, flattened so that two runs compare with one assertion each.</summary>
    internal sealed class Trace
    {
        public List<float> Observations { get; } = [];
        public List<double> Rewards { get; } = [];
        public List<string> Flags { get; } = [];

        public void Record(ReadOnlySpan<float> observation) => Observations.AddRange(observation.ToArray());

        public void Record(StepResult result)
        {
            Rewards.Add(result.Reward);
            Flags.Add($"{result.Terminated}/{result.Truncated}/{result.BadPhysics}");
        }

        public void AssertSameAs(Trace other)
        {
            Assert.IsGreaterThan(0, Rewards.Count, "the trace recorded no step");
            CollectionAssert.AreEqual(Observations, other.Observations, "observations differ");
            CollectionAssert.AreEqual(Rewards, other.Rewards, "rewards differ");
            CollectionAssert.AreEqual(Flags, other.Flags, "termination flags differ");
        }
    }

    public static float[] RandomAction(Space space, RandomStream rng) => space switch
    {
        DiscreteSpace d => [rng.NextInt(d.Count)],
        BoxSpace b => Enumerable.Range(0, b.Size).Select(i => (float)rng.NextUniform(1.5 * b.Low[i], 1.5 * b.High[i])).ToArray(),
        _ => throw new ArgumentException($"no random actions for {space}"),
    };

    /// <summary>Continues <paramref name="env"/> for <paramref name="steps"/> random steps, resetting after each episode's end.</summary>
    public static void Continue(IEnvironment env, Space actionSpace, RandomStream actions, int steps, Trace trace)
    {
        var observation = new float[env.ObservationSize];
        for (int t = 0; t < steps; t++)
        {
            var result = env.Step(RandomAction(actionSpace, actions), observation);
            trace.Record(observation);
            trace.Record(result);
            if (result.Done)
            {
                env.Reset(observation);
                trace.Record(observation);
            }
        }
    }

    public static Trace Run(IRlTaskFamily family, MetaTask task, ulong seed, ulong actionSeed, int steps)
    {
        using var env = family.CreateEnvironment(task, seed);
        var trace = new Trace();
        var observation = new float[env.ObservationSize];
        env.Reset(observation);
        trace.Record(observation);
        Continue(env, family.ActionSpace, new RandomStream(actionSeed), steps, trace);
        return trace;
    }

    public static void AssertSpacesMatch(IRlTaskFamily family, MetaTask task)
    {
        using var env = (EnvironmentBase)family.CreateEnvironment(task, 1);
        Assert.AreEqual(family.ObservationSpace.Size, env.ObservationSize);
        switch (family.ActionSpace, env.ActionSpace)
        {
            case (DiscreteSpace f, DiscreteSpace e):
                Assert.AreEqual(f.Count, e.Count);
                break;
            case (BoxSpace f, BoxSpace e):
                CollectionAssert.AreEqual(f.Low, e.Low);
                CollectionAssert.AreEqual(f.High, e.High);
                break;
            default:
                Assert.Fail($"family action space {family.ActionSpace}, environment {env.ActionSpace}");
                break;
        }
        Assert.AreEqual(family.Horizon, env.Horizon);
        Assert.AreEqual(family.Latents.Count, task.Latent.Length);
        CollectionAssert.AreEqual(family.ParameterNames.ToArray(), task.ParameterNames);

        var observation = new float[env.ObservationSize];
        var rng = new RandomStream(3);
        env.Reset(observation);
        for (int t = 0; t < family.Horizon; t++)
        {
            AssertInside(family.ObservationSpace, observation);
            if (env.Step(RandomAction(family.ActionSpace, rng), observation).Done) env.Reset(observation);
        }
    }

    private static void AssertInside(BoxSpace space, float[] observation)
    {
        for (int i = 0; i < observation.Length; i++)
        {
            Assert.IsTrue(observation[i] >= space.Low[i] && observation[i] <= space.High[i], $"observation[{i}] = {observation[i]} outside [{space.Low[i]}, {space.High[i]}]");
        }
    }

    /// <summary>Steps until the horizon with actions that never end an episode early; only the last step is truncated.</summary>
    public static void AssertTruncatedExactlyAtHorizon(IEnvironment env, int horizon, Func<int, float[]> action)
    {
        var observation = new float[env.ObservationSize];
        env.Reset(observation);
        for (int t = 1; t <= horizon; t++)
        {
            var result = env.Step(action(t), observation);
            Assert.IsFalse(result.Terminated, $"step {t} terminated");
            Assert.AreEqual(t == horizon, result.Truncated, $"step {t} of {horizon}: truncated = {result.Truncated}");
            Assert.AreEqual(t, env.StepIndex);
        }
    }

    public static void AssertDeterministic(IRlTaskFamily family, MetaTask task, int steps)
    {
        var first = Run(family, task, seed: 11, actionSeed: 5, steps);
        first.AssertSameAs(Run(family, task, seed: 11, actionSeed: 5, steps));
    }

    public static void AssertBatchIndependentOfThreads(IRlTaskFamily family, int steps)
    {
        RunBatch(family, threads: 1, steps).AssertSameAs(RunBatch(family, threads: 2, steps));
    }

    private static Trace RunBatch(IRlTaskFamily family, int threads, int steps)
    {
        const int count = 8;
        var tasks = family.FixedTaskSet(count, seed: 42);
        using var batch = new EnvironmentBatch(tasks.Select((t, i) => family.CreateEnvironment(t, 1000 + (ulong)i)).ToList(), family.ActionSpace.Size, threads);
        Assert.AreEqual(threads, batch.Threads);
        var trace = new Trace();
        var observations = new float[count * batch.ObservationSize];
        var results = new StepResult[count];
        var active = Enumerable.Repeat(true, count).ToArray();
        var rng = new RandomStream(7);
        batch.Reset(observations);
        trace.Record(observations);
        for (int t = 0; t < steps; t++)
        {
            var actions = Enumerable.Range(0, count).SelectMany(_ => RandomAction(family.ActionSpace, rng)).ToArray();
            batch.Step(actions, observations, results, active);
            trace.Record(observations);
            for (int i = 0; i < count; i++)
            {
                if (!active[i]) continue;
                trace.Record(results[i]);
                active[i] = !results[i].Done;
            }
        }
        return trace;
    }

    /// <summary>
    /// Runs <paramref name="before"/> steps, saves, and continues <paramref name="after"/> steps three
    /// ways: straight on, after restoring into the same environment, and after restoring into a fresh
    /// one created with another seed (whose stream the state must replace). All three must agree.
    /// </summary>
    public static void AssertSaveRestoreContinues(IRlTaskFamily family, MetaTask task, int before, int after)
    {
        using var original = family.CreateEnvironment(task, 21);
        var observation = new float[original.ObservationSize];
        original.Reset(observation);
        var actions = new RandomStream(9);
        Continue(original, family.ActionSpace, actions, before, new Trace());
        var state = original.SaveState();
        var actionState = actions.GetState();
        int stepIndex = original.StepIndex;

        var straight = new Trace();
        Continue(original, family.ActionSpace, actions, after, straight);

        original.RestoreState(state);
        Assert.AreEqual(stepIndex, original.StepIndex);
        var again = new Trace();
        Continue(original, family.ActionSpace, RandomStream.FromState(actionState), after, again);

        using var fresh = family.CreateEnvironment(task, 777);
        fresh.Reset(new float[fresh.ObservationSize]);
        fresh.RestoreState(state);
        Assert.AreEqual(stepIndex, fresh.StepIndex);
        var restored = new Trace();
        Continue(fresh, family.ActionSpace, RandomStream.FromState(actionState), after, restored);

        straight.AssertSameAs(again);
        straight.AssertSameAs(restored);
        Assert.ThrowsExactly<InvalidDataException>(() => fresh.RestoreState(state.AsSpan(0, state.Length - 1)));
    }

    /// <summary>The mean of <paramref name="parameter"/> over <paramref name="draws"/> tasks from the original distribution.</summary>
    public static double MeanParameter(ITaskFamily family, string parameter, int draws = 20000)
    {
        var rng = new RandomStream(2024);
        double sum = 0;
        for (int i = 0; i < draws; i++) sum += family.SampleTask(rng)[parameter];
        return sum / draws;
    }
}
