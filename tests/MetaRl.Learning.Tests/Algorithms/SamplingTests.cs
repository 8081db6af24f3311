using MetaRl.Learning.Algorithms.Meta;
using MetaRl.Learning.Algorithms.Policies;
using MetaRl.Learning.Algorithms.Sampling;
using MetaRl.Learning.Common;
using MetaRl.Learning.Environments;
using MetaRl.Learning.Nets;
using static TorchSharp.torch;

namespace MetaRl.Learning.Tests.Algorithms;

/// <summary>
/// The lockstep sampler: lanes of environments stepped together, one policy decision per step for a
/// lane, its results independent of lane width and thread count, equal to stepping each episode on
/// its own, and no allocation per step.
/// </summary>
[TestClass]
public sealed class SamplingTests
{
    private static (IPolicy Policy, IReadOnlyList<IReadOnlyList<Tensor>> Parameters) PolicyFor(IRlTaskFamily family, int tasks, bool distinctPerTask)
    {
        TorchRuntime.Initialize();
        using var g = new Generator(3);
        var policy = PolicyFactory.For(family, [16, 16], g);
        if (!distinctPerTask) return (policy, Enumerable.Repeat(policy.Parameters, tasks).ToList());
        // Adapted-looking parameters: θ plus a task-specific perturbation.
        var perTask = new List<IReadOnlyList<Tensor>>();
        for (int i = 0; i < tasks; i++)
            perTask.Add(policy.Parameters.Select(p => (p.detach() + 0.05 * (i + 1) * randn(p.shape, generator: g)).DetachFromDisposeScope()).ToList());
        return (policy, perTask);
    }

    private static IReadOnlyList<EpisodeBatch> Sample(IRlTaskFamily family, IPolicy policy, IReadOnlyList<IReadOnlyList<Tensor>> parameters,
        IReadOnlyList<MetaTask> tasks, int episodes, int threads, int laneWidth, bool deterministic = false)
    {
        var sampler = new RolloutSampler(family, policy, threads, laneWidth);
        using var actions = new Generator(99);
        var batches = sampler.Sample(tasks, parameters, episodes, seed: 12345, actions, deterministic);
        Assert.AreEqual(batches.Sum(b => (long)b.Steps), sampler.StepsTaken);
        return batches;
    }

    private static void AssertSame(IReadOnlyList<EpisodeBatch> expected, IReadOnlyList<EpisodeBatch> actual, string what)
    {
        Assert.AreEqual(expected.Count, actual.Count);
        for (int i = 0; i < expected.Count; i++)
        {
            CollectionAssert.AreEqual(expected[i].Lengths, actual[i].Lengths, $"{what}: task {i} lengths");
            CollectionAssert.AreEqual(expected[i].Rewards, actual[i].Rewards, $"{what}: task {i} rewards");
            CollectionAssert.AreEqual(expected[i].Observations, actual[i].Observations, $"{what}: task {i} observations");
            CollectionAssert.AreEqual(expected[i].Actions, actual[i].Actions, $"{what}: task {i} actions");
            Assert.AreEqual(expected[i].BadPhysicsEpisodes, actual[i].BadPhysicsEpisodes, $"{what}: task {i} bad-physics episodes");
        }
    }

    [TestMethod]
    [DataRow("HalfCheetah-Vel")]
    [DataRow("Walker-2D-Params")]
    [DataRow("Khazad-Dum")]
    public void Episodes_do_not_depend_on_lane_width_or_thread_count(string familyName)
    {
        var family = TaskFamilies.CreateRl(familyName);
        var tasks = family.FixedTaskSet(3, seed: 4);
        var (policy, parameters) = PolicyFor(family, tasks.Count, distinctPerTask: true);
        using (policy)
        {
            var alone = Sample(family, policy, parameters, tasks, episodes: 5, threads: 1, laneWidth: 1);
            AssertSame(alone, Sample(family, policy, parameters, tasks, 5, threads: 2, laneWidth: 8), "2 threads, lanes of 8");
            AssertSame(alone, Sample(family, policy, parameters, tasks, 5, threads: 2, laneWidth: 3), "2 threads, lanes of 3");
            AssertSame(alone, Sample(family, policy, parameters, tasks, 5, threads: 1, laneWidth: 5), "1 thread, lanes of 5");
            // The stochastic actions really differ between episodes and between tasks' parameters.
            Assert.IsFalse(alone[0].Actions.AsSpan(0, 20).SequenceEqual(alone[0].Actions.AsSpan(family.Horizon * family.ActionSpace.Size, 20)));
        }
    }

    [TestMethod]
    public void Walker_episodes_end_early_and_are_padded()
    {
        // Under a wide random policy the walker falls: episodes end at different steps inside one lane.
        var family = TaskFamilies.CreateRl("Walker-2D-Params");
        var tasks = family.FixedTaskSet(2, seed: 8);
        var (policy, parameters) = PolicyFor(family, tasks.Count, distinctPerTask: false);
        using (policy)
        {
            var batches = Sample(family, policy, parameters, tasks, episodes: 6, threads: 2, laneWidth: 6);
            var lengths = batches.SelectMany(b => b.Lengths).ToArray();
            Assert.IsTrue(lengths.Any(l => l < family.Horizon), $"lengths {string.Join(",", lengths)}: some episode should end early");
            Assert.IsTrue(lengths.Distinct().Count() > 1, $"lengths {string.Join(",", lengths)}");
            foreach (var b in batches)
            {
                for (int e = 0; e < b.Episodes; e++)
                {
                    for (int t = b.Lengths[e]; t < b.Horizon; t++)
                    {
                        Assert.AreEqual(0f, b.Rewards[e * b.Horizon + t], "padding pays nothing");
                        Assert.AreEqual(0f, b.Observations[(e * b.Horizon + t) * b.ObservationSize], "padding has no observation");
                    }
                }
            }
        }
    }

    [TestMethod]
    [DataRow("HalfCheetah-Mass")]
    [DataRow("Ant-Fwd-Back")]
    public void Batched_rollout_equals_stepping_each_episode_alone(string familyName)
    {
        var family = TaskFamilies.CreateRl(familyName);
        var tasks = family.FixedTaskSet(2, seed: 5);
        var (policy, parameters) = PolicyFor(family, tasks.Count, distinctPerTask: true);
        const int episodes = 4;
        const ulong seed = 12345;
        using (policy)
        {
            var batched = Sample(family, policy, parameters, tasks, episodes, threads: 2, laneWidth: 8, deterministic: true);
            int obsSize = family.ObservationSpace.Size, actSize = family.ActionSpace.Size, horizon = family.Horizon;
            for (int i = 0; i < tasks.Count; i++)
            {
                var kernel = ActionKernel.For(policy, parameters[i]);
                var scratch = new float[kernel.ScratchSize];
                for (int e = 0; e < episodes; e++)
                {
                    // The same environment seed the sampler derives, stepped on its own.
                    using var env = family.CreateEnvironment(tasks[i], RandomStream.FromKeys(seed, (ulong)i, (ulong)e).NextUInt64());
                    var obs = new float[obsSize];
                    var act = new float[actSize];
                    env.Reset(obs);
                    int t = 0;
                    for (; t < horizon; t++)
                    {
                        kernel.Act(obs, act, new RandomStream(0), deterministic: true, scratch);
                        int row = e * horizon + t;
                        CollectionAssert.AreEqual(obs, batched[i].Observations.AsSpan(row * obsSize, obsSize).ToArray(), $"task {i} episode {e} step {t} observation");
                        CollectionAssert.AreEqual(act, batched[i].Actions.AsSpan(row * actSize, actSize).ToArray(), $"task {i} episode {e} step {t} action");
                        var r = env.Step(act, obs);
                        Assert.AreEqual((float)r.Reward, batched[i].Rewards[row], $"task {i} episode {e} step {t} reward");
                        if (r.Terminated) break;
                    }
                    Assert.AreEqual(Math.Min(t + 1, horizon), batched[i].Lengths[e]);
                }
            }
        }
    }

    [TestMethod]
    public void Gaussian_kernel_mean_matches_the_policy_and_its_noise_has_the_policy_std()
    {
        TorchRuntime.Initialize();
        using var g = new Generator(11);
        using var policy = new GaussianMlpPolicy(17, 6, [64, 64], g);
        using (no_grad()) policy.LogStd.copy_(tensor(new float[] { -1f, -0.5f, 0f, 0.3f, -2f, 0.5f }));
        var kernel = ActionKernel.For(policy, policy.Parameters);
        var observations = randn([32, 17], generator: g) * 2;
        var expected = policy.Distribution(observations, policy.Parameters).Mode();
        var obs = observations.data<float>().ToArray();
        var want = expected.data<float>().ToArray();
        var scratch = new float[kernel.ScratchSize];
        var action = new float[6];
        for (int r = 0; r < 32; r++)
        {
            kernel.Act(obs.AsSpan(r * 17, 17), action, new RandomStream(1), deterministic: true, scratch);
            for (int j = 0; j < 6; j++) Assert.AreEqual(want[r * 6 + j], action[j], 1e-5, $"row {r} action {j}");
        }

        // a − μ(s) over many draws: mean 0, standard deviation exp(log σ).
        var noise = new RandomStream(5);
        const int draws = 20000;
        var sum = new double[6];
        var squares = new double[6];
        var mean = want.AsSpan(0, 6).ToArray();
        for (int k = 0; k < draws; k++)
        {
            kernel.Act(obs.AsSpan(0, 17), action, noise, deterministic: false, scratch);
            for (int j = 0; j < 6; j++)
            {
                double d = action[j] - mean[j];
                sum[j] += d;
                squares[j] += d * d;
            }
        }
        var logStd = new[] { -1.0, -0.5, 0, 0.3, -2, 0.5 };
        for (int j = 0; j < 6; j++)
        {
            double std = Math.Exp(logStd[j]);
            Assert.AreEqual(0, sum[j] / draws, 4 * std / Math.Sqrt(draws), $"dimension {j} mean");
            Assert.AreEqual(std, Math.Sqrt(squares[j] / draws), 0.03 * std, $"dimension {j} std");
        }
    }

    [TestMethod]
    public void Categorical_kernel_draws_with_the_policy_probabilities()
    {
        TorchRuntime.Initialize();
        using var g = new Generator(12);
        using var policy = new CategoricalMlpPolicy(5, 4, [8], g);
        var kernel = ActionKernel.For(policy, policy.Parameters);
        var observation = randn([1, 5], generator: g) * 3;
        var probabilities = policy.Net.Forward(observation, policy.Parameters).softmax(-1).data<float>().ToArray();
        var obs = observation.data<float>().ToArray();
        var scratch = new float[kernel.ScratchSize];
        var action = new float[1];
        kernel.Act(obs, action, new RandomStream(1), deterministic: true, scratch);
        Assert.AreEqual(Array.IndexOf(probabilities, probabilities.Max()), (int)action[0], "the mode is the most likely index");
        var counts = new int[4];
        var noise = new RandomStream(7);
        const int draws = 40000;
        for (int k = 0; k < draws; k++)
        {
            kernel.Act(obs, action, noise, deterministic: false, scratch);
            counts[(int)action[0]]++;
        }
        for (int j = 0; j < 4; j++)
        {
            double p = probabilities[j];
            Assert.AreEqual(p, (double)counts[j] / draws, 4 * Math.Sqrt(p * (1 - p) / draws) + 1e-4, $"index {j}: p = {p}");
        }
    }

    [TestMethod]
    public void Mlp_kernel_rows_do_not_depend_on_their_neighbours_and_match_libtorch()
    {
        TorchRuntime.Initialize();
        using var g = new Generator(13);
        using var net = new Mlp([9, 20, 7], Activation.Relu, g, Activation.Sigmoid);
        var kernel = MlpKernel.FromParameters(net, net.Parameters);
        var x = randn([5, 9], generator: g);
        var want = net.Forward(x, net.Parameters).data<float>().ToArray();
        var input = x.data<float>().ToArray();
        var scratch = new float[2 * kernel.MaxWidth];
        var y = new float[7];
        for (int r = 0; r < 5; r++)
        {
            kernel.Forward(input.AsSpan(r * 9, 9), y, scratch);
            for (int j = 0; j < 7; j++) Assert.AreEqual(want[r * 7 + j], y[j], 1e-5, $"row {r} output {j}");
        }
        // Whatever scratch held before (another row's values) does not leak into a row.
        var again = new float[7];
        scratch.AsSpan().Fill(123f);
        kernel.Forward(input.AsSpan(0, 9), again, scratch);
        kernel.Forward(input.AsSpan(0, 9), y, new float[2 * kernel.MaxWidth]);
        CollectionAssert.AreEqual(y, again);
        Assert.ThrowsExactly<ArgumentException>(() => kernel.Forward(input.AsSpan(0, 8), y, scratch));
    }

    [TestMethod]
    public void A_lane_step_with_its_policy_decision_allocates_nothing()
    {
        TorchRuntime.Initialize();
        var family = TaskFamilies.CreateRl("HalfCheetah-Vel");
        var tasks = family.FixedTaskSet(8, seed: 2);
        using var g = new Generator(4);
        using var policy = PolicyFactory.For(family, [64, 64], g);
        var kernel = ActionKernel.For(policy, policy.Parameters);
        using var batch = new EnvironmentBatch(tasks.Select((t, i) => family.CreateEnvironment(t, (ulong)i)).ToList(), family.ActionSpace.Size, threads: 1);
        var lane = batch.Lanes.Single();
        Assert.AreEqual(8, lane.Count);
        var noise = Enumerable.Range(0, lane.Count).Select(k => new RandomStream((ulong)k)).ToArray();
        var scratch = new float[kernel.ScratchSize];

        void Run(int steps)
        {
            for (int t = 0; t < steps; t++)
            {
                for (int k = 0; k < lane.Count; k++) kernel.Act(lane.Observation(k), lane.Action(k), noise[k], deterministic: false, scratch);
                if (lane.Step() == 0) lane.Reset();
            }
        }

        lane.Reset();
        Run(50); // warm up: first calls compile and resolve
        long before = GC.GetAllocatedBytesForCurrentThread();
        Run(400); // crosses the horizon (200): episode resets included
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.AreEqual(0, allocated, $"{allocated} bytes allocated over 400 lane steps");
    }

    [TestMethod]
    public void Lanes_cover_every_environment_once_without_crossing_groups()
    {
        var family = TaskFamilies.CreateRl("Point-Robot");
        var tasks = family.FixedTaskSet(3, seed: 1);
        var envs = new List<IEnvironment>();
        foreach (var t in tasks)
            for (int e = 0; e < 20; e++) envs.Add(family.CreateEnvironment(t, (ulong)envs.Count));
        using var batch = new EnvironmentBatch(envs, family.ActionSpace.Size, threads: 2, laneWidth: 8, groupSize: 20);
        // 20 per group in lanes of at most 8: 6, 7, 7.
        CollectionAssert.AreEqual(new[] { 6, 7, 7, 6, 7, 7, 6, 7, 7 }, batch.Lanes.Select(l => l.Count).ToArray());
        int expectedStart = 0;
        foreach (var lane in batch.Lanes)
        {
            Assert.AreEqual(expectedStart, lane.Start);
            Assert.AreEqual(lane.Start / 20, (lane.Start + lane.Count - 1) / 20, $"lane {lane.Index} crosses a group");
            for (int k = 0; k < lane.Count; k++) Assert.AreSame(envs[lane.Start + k], lane[k]);
            expectedStart += lane.Count;
        }
        Assert.AreEqual(60, expectedStart, "every environment is in a lane");

        var runs = new int[batch.Lanes.Count];
        var threadIds = new System.Collections.Concurrent.ConcurrentDictionary<int, bool>();
        batch.RunLanes(lane =>
        {
            Interlocked.Increment(ref runs[lane.Index]);
            threadIds[Environment.CurrentManagedThreadId] = true;
            Thread.Sleep(5);
        });
        Assert.IsTrue(runs.All(r => r == 1), string.Join(",", runs));
        Assert.AreEqual(2, threadIds.Count, "two workers share the lanes");
    }

    [TestMethod]
    public void A_failing_lane_reports_its_own_exception_and_the_batch_still_frees_every_environment()
    {
        var family = TaskFamilies.CreateRl("HalfCheetah-Vel");
        var task = family.FixedTaskSet(1, seed: 1)[0];
        var made = new System.Collections.Concurrent.ConcurrentBag<IEnvironment>();
        using (var batch = new EnvironmentBatch(12, family.ObservationSpace.Size, family.ActionSpace.Size, k =>
               {
                   var e = family.CreateEnvironment(task, (ulong)k);
                   made.Add(e);
                   return e;
               }, threads: 2, laneWidth: 4))
        {
            var thrown = Assert.ThrowsExactly<InvalidOperationException>(() => batch.RunLanes(lane =>
            {
                lane.Open();
                lane.Reset();
                if (lane.Index == 1) throw new InvalidOperationException("lane 1 failed");
            }, release: true));
            Assert.AreEqual("lane 1 failed", thrown.Message);
            Assert.AreEqual(12, made.Count, "the other lanes still ran");
        }
        // Released lanes and the batch's disposal leave no simulation alive: stepping one now fails.
        foreach (var e in made)
            Assert.ThrowsExactly<ObjectDisposedException>(() => e.Step(new float[family.ActionSpace.Size], new float[e.ObservationSize]));
    }

    [TestMethod]
    public void Maml_iteration_does_not_depend_on_the_number_of_sampling_threads()
    {
        var family = TaskFamilies.CreateRl("HalfCheetah-Vel");
        var tasks = TaskBatch.Uniform(family.FixedTaskSet(3, seed: 6));
        byte[] Train(int threads)
        {
            using var maml = new Maml(family, new RlLearnerOptions { EpisodesPerTask = 3, Hidden = [16, 16], Threads = threads }, new TrpoOptions(), seed: 5);
            maml.Iterate(tasks, KeepAllTasks.Instance, 0);
            maml.Iterate(tasks, KeepAllTasks.Instance, 1);
            return maml.SaveState().ToBytes();
        }
        var single = Train(1);
        CollectionAssert.AreEqual(single, Train(2));
    }
}
