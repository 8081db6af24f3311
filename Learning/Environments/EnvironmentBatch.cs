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
/// Each environment is independent and lanes are fixed by the environments' order, not by the
/// thread count, so results do not depend on the thread count or schedule. Whole-batch observations
/// are rows of one [count × observationSize] buffer, actions of one [count × actionSize] buffer.
/// </summary>
public sealed class EnvironmentBatch : IDisposable
{
    /// <summary>Environments per lane unless told: enough to make one policy decision per step worth it, few enough to stay in cache.</summary>
    public const int DefaultLaneWidth = 8;

    private readonly IEnvironment[] _environments;
    private readonly ParallelOptions _parallel;
    private readonly EnvironmentLane[] _lanes;

    /// <param name="threads">Workers (0: every core of the machine).</param>
    /// <param name="laneWidth">Most environments per lane.</param>
    /// <param name="groupSize">Lanes do not cross multiples of this (0: no groups), e.g. the episodes of one task.</param>
    public EnvironmentBatch(IReadOnlyList<IEnvironment> environments, int actionSize, int threads = 0, int laneWidth = DefaultLaneWidth, int groupSize = 0)
    {
        if (environments.Count == 0) throw new ArgumentException("a batch needs at least one environment", nameof(environments));
        if (laneWidth < 1) throw new ArgumentOutOfRangeException(nameof(laneWidth), laneWidth, "a lane holds at least one environment");
        if (groupSize < 0) throw new ArgumentOutOfRangeException(nameof(groupSize), groupSize, "0 (no groups) or a group size");
        _environments = environments.ToArray();
        ObservationSize = _environments[0].ObservationSize;
        if (_environments.Any(e => e.ObservationSize != ObservationSize)) throw new ArgumentException("environments of a batch share one observation size");
        ActionSize = actionSize;
        Threads = threads > 0 ? threads : Environment.ProcessorCount;
        LaneWidth = laneWidth;
        _parallel = new ParallelOptions { MaxDegreeOfParallelism = Threads };
        var lanes = new List<EnvironmentLane>();
        int group = groupSize > 0 ? groupSize : _environments.Length;
        for (int g = 0; g < _environments.Length; g += group)
        {
            int end = Math.Min(g + group, _environments.Length);
            // Split the group into lanes of nearly equal width (20 → 6, 7, 7 rather than 8, 8, 4).
            int count = (end - g + laneWidth - 1) / laneWidth;
            for (int k = 0, start = g; k < count; k++)
            {
                int width = (end - start) / (count - k);
                lanes.Add(new EnvironmentLane(lanes.Count, start, new ArraySegment<IEnvironment>(_environments, start, width), ObservationSize, actionSize));
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
    public IReadOnlyList<IEnvironment> Environments => _environments;

    /// <summary>The lanes, in environment order.</summary>
    public IReadOnlyList<EnvironmentLane> Lanes => _lanes;

    /// <summary>
    /// Runs <paramref name="body"/> once for every lane, lanes handed out in order to
    /// <see cref="Threads"/> workers as they come free. The body owns its lane while it runs (the
    /// lane's environments and buffers); different lanes run at the same time.
    /// </summary>
    public void RunLanes(Action<EnvironmentLane> body)
    {
        if (Threads == 1 || _lanes.Length == 1)
        {
            foreach (var lane in _lanes) body(lane);
            return;
        }
        int next = -1;
        var workers = new Task[Math.Min(Threads, _lanes.Length)];
        for (int w = 0; w < workers.Length; w++)
        {
            workers[w] = Task.Factory.StartNew(() =>
            {
                for (int i; (i = Interlocked.Increment(ref next)) < _lanes.Length;) body(_lanes[i]);
            }, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        }
        Task.WaitAll(workers);
    }

    public void Reset(float[] observations)
    {
        CheckLength(observations.Length, Count * ObservationSize, nameof(observations));
        ForEach(i => _environments[i].Reset(observations.AsSpan(i * ObservationSize, ObservationSize)));
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
            results[i] = _environments[i].Step(actions.AsSpan(i * ActionSize, ActionSize), observations.AsSpan(i * ObservationSize, ObservationSize));
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
        foreach (var e in _environments) e.Dispose();
    }
}

/// <summary>
/// A fixed run of consecutive environments of an <see cref="EnvironmentBatch"/>, stepped together
/// by one worker: its observations [Count × observationSize], actions [Count × actionSize],
/// step results and active flags live in buffers allocated once and reused for every step.
/// </summary>
public sealed class EnvironmentLane
{
    private readonly ArraySegment<IEnvironment> _environments;

    internal EnvironmentLane(int index, int start, ArraySegment<IEnvironment> environments, int observationSize, int actionSize)
    {
        Index = index;
        Start = start;
        _environments = environments;
        ObservationSize = observationSize;
        ActionSize = actionSize;
        Observations = new float[environments.Count * observationSize];
        Actions = new float[environments.Count * actionSize];
        Results = new StepResult[environments.Count];
        Active = new bool[environments.Count];
    }

    /// <summary>The lane's place among the batch's lanes.</summary>
    public int Index { get; }

    /// <summary>Batch index of the lane's first environment.</summary>
    public int Start { get; }

    public int Count => _environments.Count;
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

    public IEnvironment this[int k] => _environments[k];

    public Span<float> Observation(int k) => Observations.AsSpan(k * ObservationSize, ObservationSize);
    public Span<float> Action(int k) => Actions.AsSpan(k * ActionSize, ActionSize);

    /// <summary>Starts an episode in every environment of the lane and marks them all active.</summary>
    public void Reset()
    {
        for (int k = 0; k < Count; k++)
        {
            _environments[k].Reset(Observation(k));
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
            var r = _environments[k].Step(Action(k), Observation(k));
            Results[k] = r;
            if (r.Done) Active[k] = false;
            else active++;
        }
        return active;
    }
}

