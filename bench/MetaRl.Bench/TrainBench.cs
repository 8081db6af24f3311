using System.Diagnostics;
using MetaRl.Learning.Algorithms.Meta;
using MetaRl.Learning.Common;
using MetaRl.Learning.Environments;
using MetaRl.Learning.Training;

namespace MetaRl.Bench;

/// <summary>
/// bench `train`: end-to-end training throughput. MAML-TRPO and ProMP train on HalfCheetah-Vel with
/// a run's defaults (RunSpec: meta-batch, episodes per task, (64, 64) policy, TRPO / ProMP settings),
/// alternating iteration by iteration in one process so both see the same machine, until each has
/// taken at least the given number of frames (environment steps). Printed per learner: frames/s
/// (frames over the wall time of its meta-iterations) beside the goal of issue 14 (≥ 17,000 on 2
/// cores for MAML-TRPO), and where the time went:
/// <list type="bullet">
/// <item>physics: the sampling workers' time stepping environments (MuJoCo, observations, rewards),</item>
/// <item>policy: their time in policy decisions (the forward pass, action noise, recording),</item>
/// <item>setup: making each phase's environments (a model copy and an mjData each) and policy snapshots,</item>
/// <item>meta-update: everything else of an iteration — advantages and baselines, the inner
/// adaptation step, the outer update (TRPO or ProMP's Adam steps) — on one libtorch thread.</item>
/// </list>
/// Sampling runs on all threads, so its wall time is split between physics, policy and making
/// environments in proportion to the workers' time in each.
/// </summary>
public static class TrainBench
{
    private const double Goal = 17_000;

    public static int Run(string[] args)
    {
        BenchArgs a;
        try
        {
            a = new BenchArgs(args, "frames", "threads", "warmup", "family", "meta-batch", "episodes");
        }
        catch (ArgumentException e)
        {
            Console.Error.WriteLine(e.Message);
            return 2;
        }
        long frames = a.Int("frames", 480_000);
        int threads = a.Int("threads", Environment.ProcessorCount);
        int warmup = a.Int("warmup", 1);
        var family = a.String("family") ?? "HalfCheetah-Vel";
        var defaults = new RunSpec();
        int metaBatch = a.Int("meta-batch", defaults.MetaBatch);
        int episodes = a.Int("episodes", defaults.Rl.EpisodesPerTask);
        TorchRuntime.Initialize();

        var learners = new[] { Learners.MamlTrpo, Learners.ProMp }.Select(name =>
        {
            var spec = new RunSpec { Family = family, Learner = name, Seed = 1, MetaBatch = metaBatch, Rl = defaults.Rl with { EpisodesPerTask = episodes, Threads = threads } };
            var fam = TaskFamilies.Create(spec.Family);
            return new Side(name, (RlMetaLearner)MetaTrainingRun.CreateLearner(spec, fam), (IRlTaskFamily)fam, spec);
        }).ToList();
        Console.WriteLine($"bench train: {family}, meta-batch {metaBatch} × {episodes} episodes, {threads} sampling threads, libtorch {TorchRuntime.Threads} thread(s), " +
                          $"≥ {frames} frames per learner after {warmup} warm-up iteration(s), load {Load()}");

        for (int w = 0; w < warmup; w++)
            foreach (var s in learners) s.Iterate(record: false);
        while (learners.Any(s => s.Frames < frames))
        {
            foreach (var s in learners.Where(s => s.Frames < frames))
            {
                s.Iterate(record: true);
                Console.WriteLine($"  {s.Name,-10} iteration {s.Iterations}: {s.LastFrames} frames in {s.LastSeconds:F2} s ({s.LastFrames / s.LastSeconds:F0} frames/s)");
            }
        }

        Console.WriteLine();
        Console.WriteLine($"{"learner",-10} {"frames",9} {"seconds",8} {"frames/s",9} {"goal",7} {"ratio",6} {"physics",8} {"policy",7} {"setup",6} {"update",7}");
        var results = new List<object>();
        foreach (var s in learners)
        {
            double seconds = Seconds(s.Wall), fps = s.Frames / seconds;
            var (physics, policy, setup, update) = s.Shares();
            Console.WriteLine($"{s.Name,-10} {s.Frames,9} {seconds,8:F1} {fps,9:F0} {Goal,7:F0} {fps / Goal,6:F2} {physics,7:P0} {policy,7:P0} {setup,6:P0} {update,7:P0}");
            results.Add(new { learner = s.Name, frames = s.Frames, seconds, framesPerSecond = fps, goal = Goal, physics, policy, setup, metaUpdate = update, projectedFramesPerSecondIdle = double.IsFinite(s.ProjectedFramesPerSecond(threads)) ? s.ProjectedFramesPerSecond(threads) : (double?)null, load = Load() });
        }
        Console.WriteLine($"(frames/s over the measured meta-iterations; shares of their wall time; goal: MAML-TRPO ≥ {Goal:F0} frames/s on 2 cores; load {Load()})");
        foreach (var s in learners)
            Console.WriteLine($"  {s.Name}: {s.Details()}");
        foreach (var s in learners)
            Console.WriteLine($"  {s.Name}: projected from CPU time on {threads} idle cores: {s.ProjectedFramesPerSecond(threads):F0} frames/s (an estimate, not a measurement)");
        TorchBench.WriteResults("train", new { family, metaBatch, episodes, threads, frames, results });
        foreach (var s in learners) s.Learner.Dispose();
        return 0;
    }

    /// <summary>µs per row of the sampler's policy decision (17 → 64 → 64 → 6 tanh, Gaussian noise), for profiling.</summary>
    public static int PolicyOne(int rows, int reps)
    {
        TorchRuntime.Initialize();
        using var g = new TorchSharp.torch.Generator(1);
        using var policy = new Learning.Algorithms.Policies.GaussianMlpPolicy(17, 6, [64, 64], g);
        var kernel = Learning.Algorithms.Policies.ActionKernel.For(policy, policy.Parameters);
        var rng = new RandomStream(3);
        var obs = Enumerable.Range(0, rows * 17).Select(_ => (float)rng.NextGaussian()).ToArray();
        var actions = new float[rows * 6];
        var scratch = new float[kernel.ScratchSize];
        var samples = new List<double>();
        for (int r = 0; r < reps; r++)
        {
            long start = Stopwatch.GetTimestamp();
            for (int k = 0; k < rows; k++) kernel.Act(obs.AsSpan(k * 17, 17), actions.AsSpan(k * 6, 6), rng, false, scratch);
            samples.Add(Seconds(Stopwatch.GetTimestamp() - start) / rows * 1e6);
        }
        Console.WriteLine($"{Stats.Median(samples):F3} µs per row (median of {reps}), load {Load()}");
        return 0;
    }

    private static double Seconds(long ticks) => (double)ticks / Stopwatch.Frequency;

    internal static string Load()
    {
        try
        {
            return string.Join(" ", File.ReadAllText("/proc/loadavg").Split(' ').Take(3));
        }
        catch (IOException)
        {
            return "n/a";
        }
    }

    private sealed class Side(string name, RlMetaLearner learner, IRlTaskFamily family, RunSpec spec)
    {
        private readonly RandomStream _tasks = new(17);
        private long _sampleWall, _policy, _physics, _create, _setup, _workerCpu, _processCpu;

        public string Name { get; } = name;
        public RlMetaLearner Learner { get; } = learner;
        public long Frames { get; private set; }
        public long Wall { get; private set; }
        public int Iterations { get; private set; }
        public long LastFrames { get; private set; }
        public double LastSeconds { get; private set; }

        public void Iterate(bool record)
        {
            var times = Learner.Sampler.Times;
            times.Clear();
            var batch = TaskBatch.Uniform(Enumerable.Range(0, spec.MetaBatch).Select(_ => family.SampleTask(_tasks)).ToList());
            var process = Process.GetCurrentProcess();
            var cpuBefore = process.TotalProcessorTime;
            long start = Stopwatch.GetTimestamp();
            var report = Learner.Iterate(batch, KeepAllTasks.Instance, Iterations);
            long wall = Stopwatch.GetTimestamp() - start;
            process.Refresh();
            var cpuAfter = process.TotalProcessorTime;
            if (!record) return;
            Iterations++;
            Frames += report.EnvironmentSteps;
            Wall += wall;
            _sampleWall += times.Wall;
            _policy += times.Policy;
            _physics += times.Physics;
            _setup += times.Setup;
            _create += times.Create;
            _workerCpu += times.WorkerCpu;
            _processCpu += (cpuAfter - cpuBefore).Ticks;
            LastFrames = report.EnvironmentSteps;
            LastSeconds = Seconds(wall);
        }

        /// <summary>
        /// Frames/s the measured iterations would give with <paramref name="threads"/> cores of their
        /// own, from CPU time: the sampling workers' CPU time spread evenly over the threads, plus the
        /// rest of the process's CPU time (meta-update, setup, runtime) on one core. An estimate for a
        /// shared machine, printed as such.
        /// </summary>
        public double ProjectedFramesPerSecond(int threads)
        {
            if (_workerCpu <= 0) return double.NaN;
            double sampling = ThreadClock.Seconds(_workerCpu) / threads;
            double rest = Math.Max(0, TimeSpan.FromTicks(_processCpu).TotalSeconds - ThreadClock.Seconds(_workerCpu));
            return Frames / (sampling + rest);
        }

        /// <summary>The raw seconds behind the shares.</summary>
        public string Details() =>
            $"iterations {Seconds(Wall):F2} s, sampling {Seconds(_sampleWall):F2} s wall (serial setup {Seconds(_setup):F2} s); " +
            $"worker time: physics {Seconds(_physics):F2} s, policy {Seconds(_policy):F2} s, making environments {Seconds(_create):F2} s; " +
            $"{Frames / Math.Max(1e-9, Seconds(_sampleWall)):F0} frames/s while sampling; CPU time: sampling workers {ThreadClock.Seconds(_workerCpu):F2} s, " +
            $"whole process {TimeSpan.FromTicks(_processCpu).TotalSeconds:F2} s";

        /// <summary>Shares of the measured wall time: physics, policy, sampling setup, meta-update.</summary>
        public (double Physics, double Policy, double Setup, double Update) Shares()
        {
            double total = Wall, lanes = _sampleWall - _setup;
            double workers = Math.Max(1, _policy + _physics + _create);
            double physics = lanes * _physics / workers / total, policy = lanes * _policy / workers / total;
            double setup = (_setup + lanes * _create / workers) / total;
            return (physics, policy, setup, 1 - physics - policy - setup);
        }
    }
}
