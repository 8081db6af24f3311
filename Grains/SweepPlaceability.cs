using MetaRl.Grains.Interfaces.Specs;
using MetaRl.Grains.Interfaces.State;
using MetaRl.Learning.Training;

namespace MetaRl.Grains;

/// <summary>
/// Whether the silos of a cluster can train a sweep at all: a run that needs a GPU needs a training
/// silo with one, and a run's memory floor has to fit the largest training silo. The sweep grain asks
/// it of the cluster's silos at submission; `metarl sweep run` asks it of the silo it would start,
/// before it claims the folder or starts anything, so that a refused sweep leaves no trace.
/// </summary>
public static class SweepPlaceability
{
    public static bool NeedsGpu(SweepSpec spec, SweepExpansion.ExpandedRun run) => spec.Resources.Gpu || run.Spec.Device == "cuda";

    /// <summary>Why no silo of <paramref name="silos"/> can train <paramref name="runs"/>; empty when one can.</summary>
    public static List<string> Problems(SweepSpec spec, IReadOnlyList<SweepExpansion.ExpandedRun> runs, IReadOnlyList<SiloView> silos)
    {
        if (runs.Count == 0) return [];
        if (runs.Any(r => NeedsGpu(spec, r)) && !silos.Any(s => s.Trains && s.Gpus > 0))
            return [$"sweep.resources.gpu / run.device 'cuda': no silo of the cluster has a GPU (silos: {string.Join(", ", silos.Select(s => $"{s.Name} with {s.Gpus} GPU(s)"))}); run with \"gpu\": false and device 'cpu', or start a silo built against a CUDA libtorch"];
        // A run that cannot fit in any training silo's memory would grow until the kernel kills its silo (and every run on it).
        // No silo trains yet (a local folder served by a query-only silo): the machines there are the measure.
        var training = silos.Where(s => s.Trains).ToList();
        var largest = (training.Count > 0 ? training : silos).Select(s => s.MemoryBytes).DefaultIfEmpty(0).Max();
        if (largest > 0 && MemoryFloor.Problem(runs[0].Spec, largest, training.Count > 0 ? "the largest training silo of the cluster" : "the largest silo of the cluster") is { } memory) // runs differ in method, α and seed only
            return [$"sweep.run: {memory}"];
        return [];
    }
}
