namespace MetaRl.Learning.Torch;

/// <summary>Where a tensor lives. A run setting, never assumed: CUDA only where the libtorch in use has it.</summary>
public enum Device
{
    Cpu = 0,
    Cuda = 1,
}
