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
/// The same loop on both sides: each of N threads steps its own environment (C#: through
/// IEnvironment.Step; C: mj_step on its own mjData, plus the contact forces and observation extras
/// the family's environment computes). A third column shows the lockstep form the samplers use: an
/// EnvironmentBatch cut into lanes of 8 environments, each worker running whole lanes (one decision
/// for the lane's 8 environments per step — here uniform random actions, as in the C loop — then
/// the 8 stepped in turn), lanes handed out dynamically, no barrier between workers.
/// </summary>
public static class EnvBench
{
    /// <summary>
    /// What the C loop needs to do a family's work: model file, frame skip, per-step extras (0 none,
    /// 1 contact forces into the observation and the contact cost (Ant), 2 that and the bodies'
    /// cinert, cvel and actuator forces (Humanoid)), reset noise, and the termination rule (qpos
    /// index of the height and its healthy range, qpos index of the pitch that must stay within ±1,
    /// −1 for none), so that both sides spend their steps in the same kind of states.
    /// </summary>
    private static readonly (string Family, string Model, int FrameSkip, string[] Extra)[] Families =
    [
        ("HalfCheetah-Vel", "half_cheetah.xml", 5, ["0", "0.1"]),
        ("HalfCheetah-Mass", "half_cheetah.xml", 5, ["0", "0.1"]),
        ("HalfCheetah-Body", "half_cheetah.xml", 5, ["0", "0.1"]),
        ("HalfCheetah-Fwd-Back", "half_cheetah.xml", 5, ["0", "0.1"]),
        ("Ant-Goal-2D", "ant.xml", 5, ["1", "0.1"]),
        ("Ant-Fwd-Back", "ant.xml", 5, ["1", "0.1", "2", "0.2", "1.0"]),
        ("Walker-2D-Params", "walker2d.xml", 4, ["0", "0.005", "1", "0.8", "2.0", "2"]),
        ("Humanoid-Vel", "humanoid.xml", 5, ["2", "0.01", "2", "1.0", "2.0"]),
        ("Humanoid-Mass", "humanoid.xml", 5, ["2", "0.01", "2", "1.0", "2.0"]),
        ("Humanoid-Dir-2D", "humanoid.xml", 5, ["2", "0.01", "2", "1.0", "2.0"]),
    ];

    public static int Run(string[] args)
    {
        BenchArgs a;
        try
        {
            a = new BenchArgs(args, "steps", "rounds", "threads", "family");
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
        var reference = BuildReference();
        var families = Families.Where(f => TaskFamilies.Exists(f.Family) && (only is null || f.Family == only)).ToList();
        var threadCounts = new[] { 1, maxThreads }.Distinct().ToArray();
        Console.WriteLine($"bench env: MuJoCo {MjModel.Version}, {steps} steps per thread per measurement, {rounds} rounds, threads {string.Join("/", threadCounts)}, load {TrainBench.Load()}");

        var cs = new Dictionary<(string, int), List<double>>();
        var c = new Dictionary<(string, int), List<double>>();
        var lockstep = new Dictionary<(string, int), List<double>>();
        for (int round = 1; round <= rounds; round++)
        {
            foreach (var f in families)
            {
                foreach (var threads in threadCounts)
                {
                    Add(cs, (f.Family, threads), MeasureCSharp(f.Family, threads, steps));
                    if (threads > 1) Add(lockstep, (f.Family, threads), MeasureBatch(f.Family, threads, steps));
                    Add(c, (f.Family, threads), MeasureC(reference, f.Model, f.FrameSkip, f.Extra, threads, steps));
                }
            }
            Console.WriteLine($"  round {round}/{rounds} done, load {TrainBench.Load()}");
        }

        Console.WriteLine();
        Console.Write($"{"family",-22}");
        foreach (var t in threadCounts) Console.Write($" {"C# " + t + "t",11} {"C " + t + "t",11} {"C#/C",6}");
        Console.Write($" {"batch " + maxThreads + "t",11} {"/C",6}");
        Console.WriteLine();
        var results = new List<object>();
        foreach (var f in families)
        {
            Console.Write($"{f.Family,-22}");
            foreach (var t in threadCounts)
            {
                double x = Stats.Median(cs[(f.Family, t)]), y = Stats.Median(c[(f.Family, t)]);
                Console.Write($" {x,11:F0} {y,11:F0} {x / y,6:F2}");
                results.Add(new { family = f.Family, threads = t, csharpStepsPerSecond = x, cStepsPerSecond = y, ratio = x / y });
            }
            if (lockstep.TryGetValue((f.Family, maxThreads), out var batchSamples))
            {
                double b = Stats.Median(batchSamples), y = Stats.Median(c[(f.Family, maxThreads)]);
                Console.Write($" {b,11:F0} {b / y,6:F2}");
                results.Add(new { family = f.Family, threads = maxThreads, lockstepBatchStepsPerSecond = b, ratio = b / y });
            }
            Console.WriteLine();
        }
        Console.WriteLine($"(environment steps per second, medians over rounds; ratio ≥ 0.9 is the goal; load {TrainBench.Load()})");
        TorchBench.WriteResults("env", new { steps, rounds, results });
        return 0;
    }

    private static void Add(Dictionary<(string, int), List<double>> d, (string, int) key, double value)
    {
        if (!d.TryGetValue(key, out var list)) d[key] = list = new List<double>();
        list.Add(value);
    }

    /// <summary>Each thread steps its own environment with its own random policy, like the C loop.</summary>
    private static double MeasureCSharp(string familyName, int threads, int stepsPerThread)
    {
        var family = TaskFamilies.CreateRl(familyName);
        var tasks = family.FixedTaskSet(threads, seed: 1);
        var environments = tasks.Select((task, i) => family.CreateEnvironment(task, (ulong)i)).ToArray();
        try
        {
            var watch = Stopwatch.StartNew();
            Parallel.For(0, threads, new ParallelOptions { MaxDegreeOfParallelism = threads }, k => Loop(environments[k], family.ActionSpace.Size, stepsPerThread, (ulong)k));
            return (double)threads * stepsPerThread / watch.Elapsed.TotalSeconds;
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
    /// The samplers' lockstep form: lanes of 8 environments, two lanes per thread, each lane stepped
    /// in lockstep by one worker (uniform random actions drawn for the whole lane, then its 8
    /// environments stepped), an environment reset when its episode ends.
    /// </summary>
    private static double MeasureBatch(string familyName, int threads, int stepsPerThread)
    {
        const int laneWidth = 8, lanesPerThread = 2;
        var family = TaskFamilies.CreateRl(familyName);
        int count = laneWidth * lanesPerThread * threads;
        var tasks = family.FixedTaskSet(count, seed: 1);
        int actionSize = family.ActionSpace.Size;
        using var batch = new EnvironmentBatch(tasks.Select((task, i) => family.CreateEnvironment(task, (ulong)i)).ToList(), actionSize, threads, laneWidth);
        int laneSteps = stepsPerThread * threads / count;
        batch.RunLanes(lane => lane.Reset()); // made and reset outside the clock, like the other two
        var watch = Stopwatch.StartNew();
        batch.RunLanes(lane =>
        {
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
        });
        return (double)laneSteps * count / watch.Elapsed.TotalSeconds;
    }

    private static double MeasureC(string reference, string model, int frameSkip, string[] extra, int threads, int stepsPerThread)
    {
        var psi = new ProcessStartInfo(reference) { RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var arg in new[] { MjModel.ShippedModelPath(model), frameSkip.ToString(CultureInfo.InvariantCulture), "200", threads.ToString(CultureInfo.InvariantCulture), stepsPerThread.ToString(CultureInfo.InvariantCulture) }.Concat(extra))
            psi.ArgumentList.Add(arg);
        using var p = Process.Start(psi)!;
        var output = p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        if (p.ExitCode != 0) throw new InvalidOperationException($"{reference} failed with exit code {p.ExitCode}");
        return JsonDocument.Parse(output).RootElement.GetProperty("steps_per_second").GetDouble();
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
