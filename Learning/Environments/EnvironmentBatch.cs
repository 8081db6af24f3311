namespace MetaRl.Learning.Environments;

/// <summary>
/// Many environments (typically a meta-batch's tasks × episodes) stepped across the machine's cores,
/// in two forms:
/// <list type="bullet">
/// <item><b>Lanes</b> (what the samplers use): the environments are cut into fixed lanes of at most
/// <see cref="LaneWidth"/> consecutive environments (never across a group boundary, e.g. a task's
/// episodes). <see cref="RunLanes"/> hands whole lanes to <see cref="Threads"/> workers; a worker runs
/// its lane's loop to the end — decide for every environment of the lane at once, step them in
/// lockstep, repeat — with no barrier between lanes, so the cores never wait for each other inside
/// an episode, and the working set is one lane's simulations. Each lane owns its observation,
/// action and result buffers, allocated once.</item>
/// <item><see cref="Step"/>/<see cref="Reset"/> over the whole batch (one barrier per step; for
/// callers whose decision needs every environment at once, like RL²'s recurrent policy).</item>
/// </list>
/// A batch made from a factory creates each lane's environments on the worker that first runs the
/// lane, so that setup (a model copy and an mjData per environment) is spread over the cores; a
/// one-pass caller (the samplers) also lets <see cref="RunLanes"/> release each lane's environments
/// when its body ends, which keeps only the running lanes' simulations alive and lets the allocator
/// reuse their memory.
/// Each environment is independent and lanes are fixed by the environments' order, not by the
/// thread count, so results do not depend on the thread count or schedule. Whole-batch observations
/// are rows of one [count × observationSize] buffer, actions of one [count × actionSize] buffer.
/// </summary>
public sealed class EnvironmentBatch : IDisposable
{
    /// <summary>
    /// Environments per lane unless told. The policy decision costs the same per row whatever the
    /// width; stepping 8 simulations in turn costs ≤ 2% more CPU per step than stepping one (measured
    /// in C for HalfCheetah, Walker and Ant: their working set stays in cache).
    /// </summary>
    public const int DefaultLaneWidth = 8;

    private readonly IEnvironment?[] _environments;
    private readonly Func<int, IEnvironment>? _create;
    private readonly ParallelOptions _parallel;
    private readonly EnvironmentLane[] _lanes;

    /// <param name="threads">Workers (0: every core of the machine).</param>
    /// <param name="laneWidth">Most environments per lane.</param>
    /// <param name="groupSize">Lanes do not cross multiples of this (0: no groups), e.g. the episodes of one task.</param>
    public EnvironmentBatch(IReadOnlyList<IEnvironment> environments, int actionSize, int threads = 0, int laneWidth = DefaultLaneWidth, int groupSize = 0)
        : this(environments.Count, environments.Count > 0 ? environments[0].ObservationSize : 0, actionSize, environments.ToArray(), null, threads, laneWidth, groupSize)
    {
        if (_environments.Any(e => e!.ObservationSize != ObservationSize)) throw new ArgumentException("environments of a batch share one observation size");
    }

    /// <summary>
    /// A batch of <paramref name="count"/> environments made by <paramref name="create"/>(index) when
    /// first needed: for lanes, at the start of the lane on its worker.
    /// </summary>
    public EnvironmentBatch(int count, int observationSize, int actionSize, Func<int, IEnvironment> create, int threads = 0, int laneWidth = DefaultLaneWidth, int groupSize = 0)
        : this(count, observationSize, actionSize, new IEnvironment?[count], create, threads, laneWidth, groupSize)
    {
    }

    private EnvironmentBatch(int count, int observationSize, int actionSize, IEnvironment?[] environments, Func<int, IEnvironment>? create, int threads, int laneWidth, int groupSize)
    {
        if (count == 0) throw new ArgumentException("a batch needs at least one environment", nameof(count));
        if (laneWidth < 1) throw new ArgumentOutOfRangeException(nameof(laneWidth), laneWidth, "a lane holds at least one environment");
        if (groupSize < 0) throw new ArgumentOutOfRangeException(nameof(groupSize), groupSize, "0 (no groups) or a group size");
        _environments = environments;
        _create = create;
        ObservationSize = observationSize;
        ActionSize = actionSize;
        Threads = threads > 0 ? threads : Environment.ProcessorCount;
        LaneWidth = laneWidth;
        _parallel = new ParallelOptions { MaxDegreeOfParallelism = Threads };
        var lanes = new List<EnvironmentLane>();
        int group = groupSize > 0 ? groupSize : count;
        for (int g = 0; g < count; g += group)
        {
            int end = Math.Min(g + group, count);
            // Split the group into lanes of nearly equal width (20 → 6, 7, 7 rather than 8, 8, 4).
            int lanesInGroup = (end - g + laneWidth - 1) / laneWidth;
            for (int k = 0, start = g; k < lanesInGroup; k++)
            {
                int width = (end - start) / (lanesInGroup - k);
                lanes.Add(new EnvironmentLane(this, lanes.Count, start, width));
                start += width;
            }
        }
        _lanes = lanes.ToArray();
    }

    public int Count => _environments.Length;
    public int ObservationSize { get; }
    public int ActionSize { get; }
    public int Threads { get; }
    public int LaneWidth { get; }
    /// <summary>Every environment (those of a factory batch not made yet are made now, on this thread).</summary>
    public IReadOnlyList<IEnvironment> Environments => Enumerable.Range(0, Count).Select(EnvironmentAt).ToArray();

    internal IEnvironment EnvironmentAt(int index)
    {
        var e = _environments[index];
        if (e is not null) return e;
        if (_create is null) throw new InvalidOperationException("unreachable: a batch built from a list has every environment");
        e = _create(index);
        if (e.ObservationSize != ObservationSize) { e.Dispose(); throw new ArgumentException($"environment {index} writes {e.ObservationSize} observation values, the batch {ObservationSize}"); }
        return _environments[index] = e;
    }

    internal void Release(int index)
    {
        var e = _environments[index];
        _environments[index] = null;
        e?.Dispose();
    }

    /// <summary>The lanes, in environment order.</summary>
    public IReadOnlyList<EnvironmentLane> Lanes => _lanes;

    /// <summary>
    /// Runs <paramref name="body"/> once for every lane, lanes handed out in order to
    /// <see cref="Threads"/> workers as they come free. The body owns its lane while it runs (the
    /// lane's environments and buffers); different lanes run at the same time. With
    /// <paramref name="release"/>, each lane's environments are disposed when its body returns (a
    /// factory batch would make fresh ones if they were asked for again). A lane's exception reaches the
    /// caller as itself (several, from different workers, as an <see cref="AggregateException"/>);
    /// lanes already started run to their end first.
    /// </summary>
    public void RunLanes(Action<EnvironmentLane> body, bool release = false)
    {
        void Run(EnvironmentLane lane)
        {
            try
            {
                body(lane);
            }
            finally
            {
                if (release) lane.Release();
            }
        }

        if (Threads == 1 || _lanes.Length == 1)
        {
            foreach (var lane in _lanes) Run(lane);
            return;
        }
        int next = -1;
        var workers = new Task[Math.Min(Threads, _lanes.Length)];
        for (int w = 0; w < workers.Length; w++)
        {
            workers[w] = Task.Factory.StartNew(() =>
            {
                for (int i; (i = Interlocked.Increment(ref next)) < _lanes.Length;) Run(_lanes[i]);
            }, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        }
        try
        {
            Task.WaitAll(workers);
        }
        catch (AggregateException e) when (e.InnerExceptions.Count == 1)
        {
            // As if the lane had run on the caller: its exception, not a wrapper.
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(e.InnerExceptions[0]);
        }
    }

    public void Reset(float[] observations)
    {
        CheckLength(observations.Length, Count * ObservationSize, nameof(observations));
        ForEach(i => EnvironmentAt(i).Reset(observations.AsSpan(i * ObservationSize, ObservationSize)));
    }

    /// <summary>Steps every environment whose <paramref name="active"/> flag is set (all when null).</summary>
    public void Step(float[] actions, float[] observations, StepResult[] results, bool[]? active = null)
    {
        CheckLength(actions.Length, Count * ActionSize, nameof(actions));
        CheckLength(observations.Length, Count * ObservationSize, nameof(observations));
        CheckLength(results.Length, Count, nameof(results));
        ForEach(i =>
        {
            if (active is not null && !active[i]) return;
            results[i] = EnvironmentAt(i).Step(actions.AsSpan(i * ActionSize, ActionSize), observations.AsSpan(i * ObservationSize, ObservationSize));
        });
    }

    private void ForEach(Action<int> body)
    {
        if (Threads == 1 || Count == 1)
        {
            for (int i = 0; i < Count; i++) body(i);
            return;
        }
        // One work item per environment: environments of different tasks cost different amounts
        // (contacts, falls), and dynamic hand-out keeps both cores busy until the last one is done.
        Parallel.For(0, Count, _parallel, body);
    }

    private static void CheckLength(int actual, int expected, string name)
    {
        if (actual != expected) throw new ArgumentException($"{name} holds {actual} values, the batch needs {expected}", name);
    }

    public void Dispose()
    {
        for (int i = 0; i < _environments.Length; i++) Release(i);
    }
}

/// <summary>
/// A fixed run of consecutive environments of an <see cref="EnvironmentBatch"/>, stepped together
/// by one worker: its observations [Count × observationSize], actions [Count × actionSize],
/// step results and active flags live in buffers allocated once and reused for every step.
/// </summary>
public sealed class EnvironmentLane
{
    private readonly EnvironmentBatch _batch;
    private readonly IEnvironment?[] _environments;

    internal EnvironmentLane(EnvironmentBatch batch, int index, int start, int count)
    {
        _batch = batch;
        Index = index;
        Start = start;
        ObservationSize = batch.ObservationSize;
        ActionSize = batch.ActionSize;
        _environments = new IEnvironment?[count];
        Observations = new float[count * ObservationSize];
        Actions = new float[count * ActionSize];
        Results = new StepResult[count];
        Active = new bool[count];
    }

    /// <summary>The lane's place among the batch's lanes.</summary>
    public int Index { get; }

    /// <summary>Batch index of the lane's first environment.</summary>
    public int Start { get; }

    public int Count => _environments.Length;
    public int ObservationSize { get; }
    public int ActionSize { get; }

    /// <summary>Row k: the current observation of environment Start + k.</summary>
    public float[] Observations { get; }

    /// <summary>Row k: the action environment Start + k takes at the next <see cref="Step"/>.</summary>
    public float[] Actions { get; }

    /// <summary>What the last <see cref="Step"/> gave each environment (stale for inactive ones).</summary>
    public StepResult[] Results { get; }

    /// <summary>Environments still in their episode; <see cref="Step"/> skips the others.</summary>
    public bool[] Active { get; }

    /// <summary>Environment Start + k (made now if the batch makes them on demand).</summary>
    public IEnvironment this[int k] => _environments[k] ??= _batch.EnvironmentAt(Start + k);

    public Span<float> Observation(int k) => Observations.AsSpan(k * ObservationSize, ObservationSize);
    public Span<float> Action(int k) => Actions.AsSpan(k * ActionSize, ActionSize);

    /// <summary>Makes the lane's environments that do not exist yet (a factory batch's), on the calling thread.</summary>
    public void Open()
    {
        for (int k = 0; k < Count; k++) _ = this[k];
    }

    /// <summary>Starts an episode in every environment of the lane and marks them all active.</summary>
    public void Reset()
    {
        for (int k = 0; k < Count; k++)
        {
            this[k].Reset(Observation(k));
            Active[k] = true;
        }
    }

    /// <summary>
    /// Steps every active environment with its row of <see cref="Actions"/>, writing its next
    /// observation and <see cref="Results"/>; an environment whose episode ended (terminated or
    /// truncated) becomes inactive. Returns how many remain active.
    /// </summary>
    public int Step()
    {
        int active = 0;
        for (int k = 0; k < Count; k++)
        {
            if (!Active[k]) continue;
            var r = this[k].Step(Action(k), Observation(k));
            Results[k] = r;
            if (r.Done) Active[k] = false;
            else active++;
        }
        return active;
    }

    /// <summary>Disposes the lane's environments.</summary>
    internal void Release()
    {
        for (int k = 0; k < Count; k++)
        {
            _environments[k] = null;
            _batch.Release(Start + k);
        }
    }
}
