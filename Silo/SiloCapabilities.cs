using MetaRl.Learning.Torch;

namespace MetaRl.Silo;

/// <summary>What a silo can serve: the placement of runs is decided on these figures.</summary>
public sealed record SiloCapabilities(int Cores, long MemoryBytes, int Gpus, string TorchDevice)
{
    /// <summary>Reads the machine: logical cores, memory available to the process, CUDA devices visible to libtorch.</summary>
    public static SiloCapabilities Detect()
    {
        var gpus = TorchRuntime.CudaAvailable ? 1 : 0;
        return new SiloCapabilities(
            Environment.ProcessorCount,
            GC.GetGCMemoryInfo().TotalAvailableMemoryBytes,
            gpus,
            gpus > 0 ? "cuda" : "cpu");
    }
}
