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
/// IEnvironment.Step; C: mj_step on its own mjData). A third column shows the lockstep form the
/// samplers use — an EnvironmentBatch of 8·N environments stepped together, one policy decision per
/// step for all of them — whose barrier per step and cache misses (16 mjData instead of 2) cost
/// extra.
/// </summary>
public static class EnvBench
{
    /// <summary>Each MuJoCo family's model file and frame skip (the C loop needs them).</summary>
    private static readonly (string Family, string Model, int FrameSkip)[] Families =
    [
        ("HalfCheetah-Vel", "half_cheetah.xml", 5),
        ("HalfCheetah-Mass", "half_cheetah.xml", 5),
        ("HalfCheetah-Body", "half_cheetah.xml", 5),
        ("HalfCheetah-Fwd-Back", "half_cheetah.xml", 5),
        ("Ant-Goal-2D", "ant.xml", 5),
        ("Ant-Fwd-Back", "ant.xml", 5),
        ("Walker-2D-Params", "walker2d.xml", 4),
        ("Humanoid-Vel", "humanoid.xml", 5),
        ("Humanoid-Mass", "humanoid.xml", 5),
        ("Humanoid-Dir-2D", "humanoid.xml", 5),
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
        Console.WriteLine($"bench env: MuJoCo {MjModel.Version}, {steps} steps per thread per measurement, {rounds} rounds, threads {string.Join("/", threadCounts)}");

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
                    Add(c, (f.Family, threads), MeasureC(reference, f.Model, f.FrameSkip, threads, steps));
                }
            }
            Console.WriteLine($"  round {round}/{rounds} done");
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
        Console.WriteLine("(environment steps per second; ratio ≥ 0.9 is the goal)");
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

    /// <summary>The samplers' lockstep form: 8 environments per thread stepped together per decision.</summary>
    private static double MeasureBatch(string familyName, int threads, int stepsPerThread)
    {
        var family = TaskFamilies.CreateRl(familyName);
        var tasks = family.FixedTaskSet(8 * threads, seed: 1);
        var rng = new RandomStream(7);
        int actionSize = family.ActionSpace.Size;
        using var batch = new EnvironmentBatch(tasks.Select((task, i) => family.CreateEnvironment(task, (ulong)i)).ToList(), actionSize, threads);
        var observations = new float[batch.Count * batch.ObservationSize];
        var actions = new float[batch.Count * actionSize];
        var results = new StepResult[batch.Count];
        var active = new bool[batch.Count];
        batch.Reset(observations);
        int batchSteps = stepsPerThread * threads / batch.Count;
        var watch = Stopwatch.StartNew();
        for (int t = 0; t < batchSteps; t++)
        {
            for (int i = 0; i < actions.Length; i++) actions[i] = (float)rng.NextUniform(-1, 1);
            batch.Step(actions, observations, results);
            if (results.Any(r => r.Done)) batch.Reset(observations); // the samplers restart all at the horizon
        }
        return (double)batchSteps * batch.Count / watch.Elapsed.TotalSeconds;
    }

    private static double MeasureC(string reference, string model, int frameSkip, int threads, int stepsPerThread)
    {
        var psi = new ProcessStartInfo(reference) { RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var arg in new[] { MjModel.ShippedModelPath(model), frameSkip.ToString(CultureInfo.InvariantCulture), "200", threads.ToString(CultureInfo.InvariantCulture), stepsPerThread.ToString(CultureInfo.InvariantCulture) })
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
        foreach (var arg in new[] { "-O2", "-o", binary, source, "-lmujoco", "-lpthread" }) psi.ArgumentList.Add(arg);
        using var p = Process.Start(psi)!;
        p.WaitForExit();
        if (p.ExitCode != 0) throw new InvalidOperationException("gcc failed to build the C reference");
        return binary;
    }
}
