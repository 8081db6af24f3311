using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using MetaRl.Learning.Common;
using MetaRl.Learning.Environments;
using MetaRl.Learning.Environments.MuJoCo;

namespace MetaRl.Bench;

/// <summary>
/// bench `env`: environment steps per second of every MuJoCo family through the C# API (fixed
/// uniform-random policy), against the same loop in plain C calling MuJoCo directly
/// (bench/reference/mujoco_loop.c), on 1 and 2 threads, alternating in rounds within one run.
/// The same loop on both sides: each of N threads steps its own environment of one task of the
/// family (C#: through IEnvironment.Step; C: mj_step on its own mjData of that task's compiled model,
/// written by the C# side as an MJB file, plus the contact forces and observation extras the family's
/// environment computes). A third column shows the lockstep form the samplers use: an
/// EnvironmentBatch cut into lanes of 8 environments, each worker running whole lanes (one decision
/// for the lane's 8 environments per step — here uniform random actions, as in the C loop — then
/// the 8 stepped in turn), lanes handed out dynamically, no barrier between workers.
/// </summary>
public static class EnvBench
{
    /// <summary>
    /// What the C loop needs to do a family's work: frame skip, per-step extras (0 none,
    /// 1 contact forces into the observation and the contact cost (Ant), 2 that and the bodies'
    /// cinert, cvel and actuator forces (Humanoid)), reset noise, and the termination rule (qpos
    /// index of the height and its healthy range, qpos index of the pitch that must stay within ±1,
    /// −1 for none), so that both sides spend their steps in the same kind of states.
    /// </summary>
    private static readonly (string Family, int FrameSkip, string[] Extra)[] Families =
    [
        ("HalfCheetah-Vel", 5, ["0", "0.1"]),
        ("HalfCheetah-Mass", 5, ["0", "0.1"]),
        ("HalfCheetah-Body", 5, ["0", "0.1"]),
        ("HalfCheetah-Fwd-Back", 5, ["0", "0.1"]),
        ("Ant-Goal-2D", 5, ["1", "0.1"]),
        ("Ant-Fwd-Back", 5, ["1", "0.1", "2", "0.2", "1.0"]),
        ("Walker-2D-Params", 4, ["0", "0.005", "1", "0.8", "2.0", "2"]),
        ("Humanoid-Vel", 5, ["2", "0.01", "2", "1.0", "2.0"]),
        ("Humanoid-Mass", 5, ["2", "0.01", "2", "1.0", "2.0"]),
        ("Humanoid-Dir-2D", 5, ["2", "0.01", "2", "1.0", "2.0"]),
    ];

    public static int Run(string[] args)
    {
        BenchArgs a;
        try
        {
            a = new BenchArgs(args, "steps", "rounds", "threads", "family", "lane-width", "lanes-per-thread");
        }
        catch (ArgumentException e)
        {
            Console.Error.WriteLine(e.Message);
            return 2;
        }
        int steps = a.Int("steps", 20000);
        int rounds = a.Int("rounds", 2);
        int maxThreads = a.Int("threads", Math.Min(2, Environment.ProcessorCount));
        var only = a.String("family");
        int laneWidth = a.Int("lane-width", EnvironmentBatch.DefaultLaneWidth);
        // A meta-iteration at the run defaults samples 20 tasks × 20 episodes: 50 lanes of 8 on 2 threads.
        int lanesPerThread = a.Int("lanes-per-thread", 25);
        var reference = BuildReference();
        var families = Families.Where(f => TaskFamilies.Exists(f.Family) && (only is null || f.Family == only)).ToList();
        var threadCounts = new[] { 1, maxThreads }.Distinct().ToArray();
        Console.WriteLine($"bench env: MuJoCo {MjModel.Version}, {steps} steps per thread per measurement, {rounds} rounds, threads {string.Join("/", threadCounts)}, load {TrainBench.Load()}");

        // Per (family, threads): steps per second of wall time, and per second of the stepping threads' CPU time.
        var cs = new Dictionary<(string, int), List<Rate>>();
        var c = new Dictionary<(string, int), List<Rate>>();
        var lockstep = new Dictionary<(string, int), List<Rate>>();
        for (int round = 1; round <= rounds; round++)
        {
            foreach (var f in families)
            {
                foreach (var threads in threadCounts)
                {
                    Add(cs, (f.Family, threads), MeasureCSharp(f.Family, threads, steps));
                    if (threads > 1) Add(lockstep, (f.Family, threads), MeasureBatch(f.Family, threads, steps, laneWidth, lanesPerThread));
                    Add(c, (f.Family, threads), MeasureC(reference, TaskModel(f.Family), f.FrameSkip, f.Extra, threads, steps));
                }
            }
            Console.WriteLine($"  round {round}/{rounds} done, load {TrainBench.Load()}");
        }

        var results = new List<object>();
        foreach (var cpu in new[] { false, true })
        {
            Console.WriteLine();
            Console.WriteLine(cpu
                ? "per core: steps per second of the stepping threads' own CPU time (robust to other processes)"
                : "wall: steps per second of elapsed time (all threads)");
            Console.Write($"{"family",-22}");
            foreach (var t in threadCounts) Console.Write($" {"C# " + t + "t",11} {"C " + t + "t",11} {"C#/C",6}");
            Console.Write($" {"batch " + maxThreads + "t",11} {"/C",6}");
            Console.WriteLine();
            double Pick(List<Rate> samples) => Stats.Median(samples.Select(r => cpu ? r.Cpu : r.Wall).ToList());
            foreach (var f in families)
            {
                Console.Write($"{f.Family,-22}");
                foreach (var t in threadCounts)
                {
                    double x = Pick(cs[(f.Family, t)]), y = Pick(c[(f.Family, t)]);
                    Console.Write($" {x,11:F0} {y,11:F0} {x / y,6:F2}");
                    results.Add(new { family = f.Family, threads = t, measure = cpu ? "cpu" : "wall", csharpStepsPerSecond = x, cStepsPerSecond = y, ratio = x / y });
                }
                if (lockstep.TryGetValue((f.Family, maxThreads), out var batchSamples))
                {
                    double b = Pick(batchSamples), y = Pick(c[(f.Family, maxThreads)]);
                    Console.Write($" {b,11:F0} {b / y,6:F2}");
                    results.Add(new { family = f.Family, threads = maxThreads, measure = cpu ? "cpu" : "wall", lockstepBatchStepsPerSecond = b, ratio = b / y });
                }
                Console.WriteLine();
            }
        }
        Console.WriteLine($"(medians over rounds; ratio ≥ 0.9 is the goal; lanes of {laneWidth}, {lanesPerThread} per thread; load {TrainBench.Load()})");
        TorchBench.WriteResults("env", new { steps, rounds, laneWidth, lanesPerThread, results });
        return 0;
    }

    /// <summary>Steps per second of wall time, and per second of the stepping threads' CPU time.</summary>
    private readonly record struct Rate(double Wall, double Cpu);

    /// <summary>CPU seconds the calling thread has used (clock_gettime(CLOCK_THREAD_CPUTIME_ID)).</summary>
    private static unsafe double ThreadCpuSeconds()
    {
        long* t = stackalloc long[2];
        if (clock_gettime(3, t) != 0) throw new InvalidOperationException("clock_gettime(CLOCK_THREAD_CPUTIME_ID) failed");
        return t[0] + 1e-9 * t[1];
    }

    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "clock_gettime")]
    private static extern unsafe int clock_gettime(int clock, long* timespec);

    private static void Add(Dictionary<(string, int), List<Rate>> d, (string, int) key, Rate value)
    {
        if (!d.TryGetValue(key, out var list)) d[key] = list = new List<Rate>();
        list.Add(value);
    }

    /// <summary>The task every measurement of a family steps (the tasks of Mass, Body and Params families have their own physics).</summary>
    private static MetaTask Task(IRlTaskFamily family) => family.FixedTaskSet(1, seed: 1)[0];

    /// <summary>The compiled model of the family's measured task, as an MJB file for the C loop.</summary>
    private static string TaskModel(string familyName)
    {
        var family = TaskFamilies.CreateRl(familyName);
        var path = Path.Combine(TorchBench.RepoRoot(), "bench", "reference", "bin", familyName + ".mjb");
        using var env = (MujocoEnvironment)family.CreateEnvironment(Task(family), 0);
        env.SaveModel(path);
        return path;
    }

    /// <summary>Each thread steps its own environment with its own random policy, like the C loop.</summary>
    private static Rate MeasureCSharp(string familyName, int threads, int stepsPerThread)
    {
        var family = TaskFamilies.CreateRl(familyName);
        var task = Task(family);
        var environments = Enumerable.Range(0, threads).Select(i => family.CreateEnvironment(task, (ulong)i)).ToArray();
        try
        {
            var cpu = new double[threads];
            var watch = Stopwatch.StartNew();
            Parallel.For(0, threads, new ParallelOptions { MaxDegreeOfParallelism = threads }, k =>
            {
                double start = ThreadCpuSeconds();
                Loop(environments[k], family.ActionSpace.Size, stepsPerThread, (ulong)k);
                cpu[k] = ThreadCpuSeconds() - start;
            });
            return new Rate((double)threads * stepsPerThread / watch.Elapsed.TotalSeconds, (double)threads * stepsPerThread / cpu.Sum());
        }
        finally
        {
            foreach (var e in environments) e.Dispose();
        }
    }

    private static void Loop(IEnvironment env, int actionSize, int steps, ulong seed)
    {
        var rng = new RandomStream(seed);
        var obs = new float[env.ObservationSize];
        var action = new float[actionSize];
        env.Reset(obs);
        for (int t = 0; t < steps; t++)
        {
            for (int i = 0; i < actionSize; i++) action[i] = (float)rng.NextUniform(-1, 1);
            if (env.Step(action, obs).Done) env.Reset(obs);
        }
    }

    /// <summary>
    /// The samplers' lockstep form: lanes of <paramref name="laneWidth"/> environments (8 unless told),
    /// <paramref name="lanesPerThread"/> lanes per thread (25 unless told: a meta-iteration's worth at the
    /// run defaults) handed out as workers come free, each lane stepped in lockstep by one worker (uniform
    /// random actions drawn for the whole lane, then its environments stepped), an environment reset
    /// when its episode ends; every environment runs at least two episodes' worth of steps, so resets
    /// count as they do in the C loops.
    /// </summary>
    private static Rate MeasureBatch(string familyName, int threads, int stepsPerThread, int laneWidth, int lanesPerThread)
    {
        var family = TaskFamilies.CreateRl(familyName);
        int count = laneWidth * lanesPerThread * threads;
        var task = Task(family);
        int actionSize = family.ActionSpace.Size;
        using var batch = new EnvironmentBatch(Enumerable.Range(0, count).Select(i => family.CreateEnvironment(task, (ulong)i)).ToList(), actionSize, threads, laneWidth);
        int laneSteps = Math.Max(stepsPerThread * threads / count, 2 * family.Horizon);
        batch.RunLanes(lane => lane.Reset()); // made and reset outside the clock, like the other two
        var cpu = new double[batch.Lanes.Count];
        var watch = Stopwatch.StartNew();
        batch.RunLanes(lane =>
        {
            double start = ThreadCpuSeconds();
            var rng = new RandomStream(7 + (ulong)lane.Index);
            for (int t = 0; t < laneSteps; t++)
            {
                for (int i = 0; i < lane.Actions.Length; i++) lane.Actions[i] = (float)rng.NextUniform(-1, 1);
                lane.Step();
                for (int k = 0; k < lane.Count; k++)
                {
                    if (lane.Active[k]) continue;
                    lane[k].Reset(lane.Observation(k));
                    lane.Active[k] = true;
                }
            }
            cpu[lane.Index] = ThreadCpuSeconds() - start;
        });
        return new Rate((double)laneSteps * count / watch.Elapsed.TotalSeconds, (double)laneSteps * count / cpu.Sum());
    }

    private static Rate MeasureC(string reference, string model, int frameSkip, string[] extra, int threads, int stepsPerThread)
    {
        var psi = new ProcessStartInfo(reference) { RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var arg in new[] { model, frameSkip.ToString(CultureInfo.InvariantCulture), "200", threads.ToString(CultureInfo.InvariantCulture), stepsPerThread.ToString(CultureInfo.InvariantCulture) }.Concat(extra))
            psi.ArgumentList.Add(arg);
        using var p = Process.Start(psi)!;
        var output = p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        if (p.ExitCode != 0) throw new InvalidOperationException($"{reference} failed with exit code {p.ExitCode}");
        var json = JsonDocument.Parse(output).RootElement;
        return new Rate(json.GetProperty("steps_per_second").GetDouble(), json.GetProperty("cpu_steps_per_second").GetDouble());
    }

    /// <summary>Compiles the C reference (gcc -O2, like the shim) into bench/reference/bin when it is missing or stale.</summary>
    private static string BuildReference()
    {
        var root = TorchBench.RepoRoot();
        var source = Path.Combine(root, "bench", "reference", "mujoco_loop.c");
        var binary = Path.Combine(root, "bench", "reference", "bin", "mujoco_loop");
        if (File.Exists(binary) && File.GetLastWriteTimeUtc(binary) >= File.GetLastWriteTimeUtc(source)) return binary;
        Directory.CreateDirectory(Path.GetDirectoryName(binary)!);
        var psi = new ProcessStartInfo("gcc") { UseShellExecute = false };
        foreach (var arg in new[] { "-O2", "-o", binary, source, "-lmujoco", "-lpthread", "-lm" }) psi.ArgumentList.Add(arg);
        using var p = Process.Start(psi)!;
        p.WaitForExit();
        if (p.ExitCode != 0) throw new InvalidOperationException("gcc failed to build the C reference");
        return binary;
    }
}
