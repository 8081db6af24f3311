using System.Diagnostics;
using MetaRl.Learning.Algorithms.Policies;
using MetaRl.Learning.Common;
using MetaRl.Learning.Environments;
using static TorchSharp.torch;

namespace MetaRl.Learning.Algorithms.Sampling;

/// <summary>
/// Collects episodes for a batch of tasks, each task with its own policy parameters (θ before
/// adaptation, θ'_i after). The tasks' episodes are environments of one <see cref="EnvironmentBatch"/>
/// cut into lanes (at most <see cref="LaneWidth"/> episodes of one task each); every core runs whole
/// lanes: per step one policy decision for all of the lane's environments (the task's
/// <see cref="ActionKernel"/>, plain C#, no tensors), then the lane's environments stepped in
/// lockstep, writing straight into the <see cref="EpisodeBatch"/> arrays. Nothing is allocated per
/// step. Deterministic whatever the thread count or lane width: environment seeds come from the
/// given seed, task and episode indices, and every episode draws its action noise from its own stream,
/// keyed by one value drawn from the action generator per call.
/// </summary>
public sealed class RolloutSampler(IRlTaskFamily family, IPolicy policy, int threads, int laneWidth = EnvironmentBatch.DefaultLaneWidth)
{
    public IRlTaskFamily Family { get; } = family;

    /// <summary>Most episodes stepped together by one worker (lanes never mix tasks).</summary>
    public int LaneWidth { get; } = laneWidth;

    /// <summary>Environment steps taken so far.</summary>
    public long StepsTaken => Interlocked.Read(ref _stepsTaken);

    private long _stepsTaken;

    /// <summary>Where <see cref="Sample"/> spent its time, summed over all calls (for the benchmarks).</summary>
    public SamplingTimes Times { get; } = new();

    public IReadOnlyList<EpisodeBatch> Sample(IReadOnlyList<MetaTask> tasks, IReadOnlyList<IReadOnlyList<Tensor>> parametersPerTask,
        int episodesPerTask, ulong seed, Generator actions, bool deterministic = false)
    {
        if (parametersPerTask.Count != tasks.Count) throw new ArgumentException("one parameter list per task", nameof(parametersPerTask));
        int n = tasks.Count, m = episodesPerTask, horizon = Family.Horizon;
        int obsSize = Family.ObservationSpace.Size, actSize = Family.ActionSpace.Size;
        long started = Stopwatch.GetTimestamp();

        // One draw from the action generator per call keys every episode's noise stream, so the
        // generator (part of a learner's checkpoint) still decides the actions.
        ulong noiseSeed;
        using (var draw = randint(0, long.MaxValue, [1], dtype: ScalarType.Int64, generator: actions)) noiseSeed = (ulong)draw.item<long>();
        var kernels = new ActionKernel[n];
        for (int i = 0; i < n; i++)
        {
            kernels[i] = i > 0 && ReferenceEquals(parametersPerTask[i], parametersPerTask[i - 1]) ? kernels[i - 1] : ActionKernel.For(policy, parametersPerTask[i]);
            if (kernels[i].ObservationSize != obsSize || kernels[i].ActionSize != actSize)
                throw new ArgumentException($"the policy maps {kernels[i].ObservationSize} → {kernels[i].ActionSize} values, the family {obsSize} → {actSize}");
        }
        var result = tasks.Select(t => new EpisodeBatch(t, m, horizon, obsSize, actSize)).ToArray();
        // Episode k = i·m + e of task i; its environment is made when its lane starts, on the lane's worker.
        using var batch = new EnvironmentBatch(n * m, obsSize, actSize,
            k => Family.CreateEnvironment(tasks[k / m], RandomStream.FromKeys(seed, (ulong)(k / m), (ulong)(k % m)).NextUInt64()),
            threads, LaneWidth, groupSize: m);
        var badPhysics = new int[n];
        long policyTicks = 0, stepTicks = 0, openTicks = 0, cpuTicks = 0, steps = 0;
        Times.AddSetup(Stopwatch.GetTimestamp() - started);

        batch.RunLanes(lane =>
        {
            int first = lane.Start, task = first / m, e0 = first % m;
            var kernel = kernels[task];
            var episodes = result[task];
            var noise = new RandomStream[lane.Count];
            for (int k = 0; k < lane.Count; k++) noise[k] = RandomStream.FromKeys(noiseSeed, (ulong)task, (ulong)(e0 + k));
            var scratch = new float[kernel.ScratchSize];
            var stepped = new bool[lane.Count];
            long laneSteps = 0, lanePolicy = 0, laneStep = 0;
            int laneBad = 0;
            long cpu0 = ThreadClock.CpuTicks();
            long t0 = Stopwatch.GetTimestamp();
            lane.Open();
            long t1 = Stopwatch.GetTimestamp();
            Interlocked.Add(ref openTicks, t1 - t0);
            lane.Reset();
            t0 = Stopwatch.GetTimestamp();
            laneStep += t0 - t1;
            for (int t = 0; t < horizon; t++)
            {
                t0 = Stopwatch.GetTimestamp();
                for (int k = 0; k < lane.Count; k++)
                {
                    if (!lane.Active[k]) continue;
                    var observation = lane.Observation(k);
                    var action = lane.Action(k);
                    kernel.Act(observation, action, noise[k], deterministic, scratch);
                    // Record (s_t, a_t) before stepping overwrites the observation.
                    int row = (e0 + k) * horizon + t;
                    observation.CopyTo(episodes.Observations.AsSpan(row * obsSize, obsSize));
                    action.CopyTo(episodes.Actions.AsSpan(row * actSize, actSize));
                }
                lane.Active.CopyTo(stepped, 0);
                t1 = Stopwatch.GetTimestamp();
                int stillActive = lane.Step();
                long t2 = Stopwatch.GetTimestamp();
                lanePolicy += t1 - t0;
                laneStep += t2 - t1;
                for (int k = 0; k < lane.Count; k++)
                {
                    if (!stepped[k]) continue;
                    var r = lane.Results[k];
                    episodes.Rewards[(e0 + k) * horizon + t] = (float)r.Reward;
                    episodes.Lengths[e0 + k] = t + 1;
                    laneSteps++;
                    if (r.BadPhysics) laneBad++;
                }
                if (stillActive == 0) break;
            }
            Interlocked.Add(ref cpuTicks, ThreadClock.CpuTicks() - cpu0);
            Interlocked.Add(ref steps, laneSteps);
            Interlocked.Add(ref policyTicks, lanePolicy);
            Interlocked.Add(ref stepTicks, laneStep);
            Interlocked.Add(ref badPhysics[task], laneBad);
        }, release: true);

        for (int i = 0; i < n; i++) result[i].BadPhysicsEpisodes += badPhysics[i];
        Interlocked.Add(ref _stepsTaken, steps);
        Times.Add(Stopwatch.GetTimestamp() - started, policyTicks, stepTicks, openTicks, cpuTicks);
        return result;
    }
}

/// <summary>
/// Where a sampler's time went, summed over its calls, in <see cref="Stopwatch"/> ticks: wall time
/// of the calls and their serial setup (policy snapshots); and, summed over the workers, their time
/// making environments, in policy decisions (with recording the step) and in environment steps
/// (resets, physics, observation, reward); and the workers' CPU time in their lanes
/// (<see cref="ThreadClock"/> ticks), which does not count time the machine gave to other processes.
/// </summary>
public sealed class SamplingTimes
{
    private long _wall, _setup, _policy, _physics, _create, _cpu;

    public long Wall => Interlocked.Read(ref _wall);
    public long Setup => Interlocked.Read(ref _setup);
    public long Policy => Interlocked.Read(ref _policy);
    public long Physics => Interlocked.Read(ref _physics);
    public long Create => Interlocked.Read(ref _create);

    /// <summary>The workers' CPU time in their lanes, in <see cref="ThreadClock"/> ticks (100 ns).</summary>
    public long WorkerCpu => Interlocked.Read(ref _cpu);

    internal void AddSetup(long setup) => Interlocked.Add(ref _setup, setup);

    internal void Add(long wall, long policy, long physics, long create, long cpu)
    {
        Interlocked.Add(ref _cpu, cpu);
        Interlocked.Add(ref _create, create);
        Interlocked.Add(ref _wall, wall);
        Interlocked.Add(ref _policy, policy);
        Interlocked.Add(ref _physics, physics);
    }

    public void Clear()
    {
        Interlocked.Exchange(ref _wall, 0);
        Interlocked.Exchange(ref _policy, 0);
        Interlocked.Exchange(ref _physics, 0);
        Interlocked.Exchange(ref _setup, 0);
        Interlocked.Exchange(ref _create, 0);
        Interlocked.Exchange(ref _cpu, 0);
    }
}
