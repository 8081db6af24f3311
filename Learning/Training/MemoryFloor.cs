using MetaRl.Learning.Environments;

namespace MetaRl.Learning.Training;

/// <summary>
/// A lower bound on the memory one run must hold at once: only the tensors its learner cannot do
/// without (every task's adapted parameters, an iteration's rollouts, MQL's replay once full), each
/// in float32, nothing for activations' temporaries, libtorch or .NET. A run whose floor exceeds a
/// machine's memory cannot finish there — it would grow until the kernel kills the process, taking
/// every other run on it along — so it is refused before it is stored or started. The floor says
/// which fields make it large, so the message can name them. Sizes of a valid spec only.
/// </summary>
public static class MemoryFloor
{
    private const long Float = sizeof(float);

    public sealed record Estimate(long Bytes, string Why);

    public static Estimate Of(RunSpec spec)
    {
        var family = TaskFamilies.Create(spec.Family);
        if (family is ISupervisedTaskFamily supervised)
        {
            long parameters = Parameters(supervised.InputSize, spec.Supervised.Hidden, supervised.OutputSize);
            int steps = spec.Learner == Learners.Reptile ? spec.ReptileInnerSteps : spec.Supervised.InnerSteps;
            // Every task's parameters after each inner step (the meta-gradient goes back through them).
            long bytes = Float * spec.MetaBatch * (steps + 1L) * parameters;
            return new(bytes, $"metaBatch {spec.MetaBatch} tasks × {steps + 1} copies (inner steps + 1) of {parameters:N0} parameters (supervised.hidden [{string.Join(", ", spec.Supervised.Hidden)}])");
        }
        var rl = (IRlTaskFamily)family;
        int frame = rl.ObservationSpace.Size + rl.ActionSpace.Size; // floats a step stores at the least
        if (spec.Learner == Learners.Mql)
        {
            var mql = spec.Mql;
            long collected = (long)spec.Iterations * spec.MetaBatch * mql.EpisodesPerTask * rl.Horizon;
            long held = Math.Min((long)mql.TrainingTasks * mql.ReplayPerTask, collected);
            return new(Float * held * frame, $"replay of {held:N0} transitions (mql.trainingTasks {mql.TrainingTasks} × mql.replayPerTask {mql.ReplayPerTask}, or what iterations × metaBatch × mql.episodesPerTask × {rl.Horizon} steps collect) × {frame} floats");
        }
        if (spec.Learner is Learners.Rl2 or Learners.ERl2)
        {
            long steps = (long)spec.MetaBatch * spec.Rl2.TrialsPerTask * spec.Rl2.EpisodesPerTrial * rl.Horizon;
            // Each step's observation and action, kept for the update over whole trials, and the GRU's state
            // at every step of one minibatch of them (what backpropagation through the trials holds).
            long bytes = Float * (steps * frame + steps / spec.Rl2.Minibatches * spec.Rl2.Width);
            return new(bytes, $"{steps:N0} steps per iteration (metaBatch {spec.MetaBatch} × rl2.trialsPerTask {spec.Rl2.TrialsPerTask} × rl2.episodesPerTrial {spec.Rl2.EpisodesPerTrial} × {rl.Horizon}) × {frame} floats, and rl2.width {spec.Rl2.Width} floats per step of one of rl2.minibatches {spec.Rl2.Minibatches}");
        }
        long policy = Parameters(rl.ObservationSpace.Size, spec.Rl.Hidden, rl.ActionSpace is DiscreteSpace d ? d.Count : rl.ActionSpace.Size);
        long frames = (long)spec.MetaBatch * spec.Rl.EpisodesPerTask * rl.Horizon;
        // One phase's rollouts of every task, and every task's adapted policy.
        long total = Float * (frames * frame + (long)spec.MetaBatch * policy);
        return new(total, $"{frames:N0} steps per phase (metaBatch {spec.MetaBatch} × rl.episodesPerTask {spec.Rl.EpisodesPerTask} × {rl.Horizon}) × {frame} floats, and metaBatch × {policy:N0} policy parameters (rl.hidden [{string.Join(", ", spec.Rl.Hidden)}])");
    }

    /// <summary>Null when the run fits in <paramref name="memoryBytes"/>; otherwise the problem, naming the fields.</summary>
    public static string? Problem(RunSpec spec, long memoryBytes, string where)
    {
        var floor = Of(spec);
        if (floor.Bytes <= memoryBytes) return null;
        return $"the run needs at least {Gib(floor.Bytes)} of memory ({floor.Why}); {where} has {Gib(memoryBytes)}; allowed: sizes whose floor fits (docs/SWEEPS.md, \"Memory\")";
    }

    public static string Gib(long bytes) => bytes >= 1L << 40
        ? $"{bytes / (double)(1L << 40):G3} TiB"
        : $"{bytes / (double)(1L << 30):G3} GiB";

    /// <summary>This machine's memory as .NET sees it (a container's limit included).</summary>
    public static long ThisMachine => GC.GetGCMemoryInfo().TotalAvailableMemoryBytes;

    private static long Parameters(int input, int[] hidden, int output)
    {
        long total = 0;
        int previous = input;
        foreach (int width in hidden.Append(output))
        {
            total += (long)previous * width + width;
            previous = width;
        }
        return total;
    }
}
