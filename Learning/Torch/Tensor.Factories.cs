using MetaRl.Learning.Torch.Native;

namespace MetaRl.Learning.Torch;

public sealed partial class Tensor
{
    public static unsafe Tensor Full(ReadOnlySpan<long> shape, double value, ScalarType type = ScalarType.Float32, Device device = Device.Cpu, bool requiresGrad = false)
    {
        fixed (long* s = shape)
            return Wrap(TorchNative.mt_full(s, shape.Length, value, (int)type, (int)device, requiresGrad ? 1 : 0));
    }

    public static Tensor Zeros(ReadOnlySpan<long> shape, ScalarType type = ScalarType.Float32, Device device = Device.Cpu, bool requiresGrad = false) =>
        Full(shape, 0, type, device, requiresGrad);

    public static Tensor Ones(ReadOnlySpan<long> shape, ScalarType type = ScalarType.Float32, Device device = Device.Cpu, bool requiresGrad = false) =>
        Full(shape, 1, type, device, requiresGrad);

    /// <summary>A 0-dimensional tensor.</summary>
    public static Tensor Scalar(double value, ScalarType type = ScalarType.Float32, Device device = Device.Cpu, bool requiresGrad = false) =>
        Full([], value, type, device, requiresGrad);

    public static Tensor Arange(double start, double end, double step = 1, ScalarType type = ScalarType.Float32, Device device = Device.Cpu) =>
        Wrap(TorchNative.mt_arange(start, end, step, (int)type, (int)device));

    public static Tensor Linspace(double start, double end, long steps, ScalarType type = ScalarType.Float32, Device device = Device.Cpu) =>
        Wrap(TorchNative.mt_linspace(start, end, steps, (int)type, (int)device));

    public static Tensor Eye(long n, ScalarType type = ScalarType.Float32, Device device = Device.Cpu) =>
        Wrap(TorchNative.mt_eye(n, (int)type, (int)device));

    public Tensor ZerosLike() => Wrap(TorchNative.mt_full_like(Handle, 0));
    public Tensor OnesLike() => Wrap(TorchNative.mt_full_like(Handle, 1));
    public Tensor FullLike(double value) => Wrap(TorchNative.mt_full_like(Handle, value));

    // ---- random: every draw names its stream ----------------------------------------------

    /// <summary>Uniform on [low, high) from <paramref name="generator"/>.</summary>
    public static unsafe Tensor Uniform(ReadOnlySpan<long> shape, double low, double high, Generator generator, ScalarType type = ScalarType.Float32, Device device = Device.Cpu)
    {
        fixed (long* s = shape)
            return Wrap(TorchNative.mt_random(0, s, shape.Length, low, high, generator.Handle, (int)type, (int)device));
    }

    public static Tensor Rand(ReadOnlySpan<long> shape, Generator generator, ScalarType type = ScalarType.Float32, Device device = Device.Cpu) =>
        Uniform(shape, 0, 1, generator, type, device);

    /// <summary>Normal(mean, std) draws from <paramref name="generator"/>.</summary>
    public static unsafe Tensor Normal(ReadOnlySpan<long> shape, double mean, double std, Generator generator, ScalarType type = ScalarType.Float32, Device device = Device.Cpu)
    {
        fixed (long* s = shape)
            return Wrap(TorchNative.mt_random(1, s, shape.Length, mean, std, generator.Handle, (int)type, (int)device));
    }

    public static Tensor RandN(ReadOnlySpan<long> shape, Generator generator, ScalarType type = ScalarType.Float32, Device device = Device.Cpu) =>
        Normal(shape, 0, 1, generator, type, device);

    /// <summary>Integers uniform on [low, high).</summary>
    public static unsafe Tensor RandInt(long low, long high, ReadOnlySpan<long> shape, Generator generator, Device device = Device.Cpu)
    {
        fixed (long* s = shape)
            return Wrap(TorchNative.mt_randint(low, high, s, shape.Length, generator.Handle, (int)device));
    }

    public static Tensor RandPerm(long n, Generator generator, Device device = Device.Cpu) =>
        Wrap(TorchNative.mt_randperm(n, generator.Handle, (int)device));

    /// <summary>Standard normal noise with this tensor's shape, dtype and device.</summary>
    public Tensor RandNLike(Generator generator) => Wrap(TorchNative.mt_randn_like(Handle, generator.Handle));

    /// <summary>Indices drawn from the rows of this (non-negative) probability tensor.</summary>
    public Tensor Multinomial(long samples, bool replacement, Generator generator) =>
        Wrap(TorchNative.mt_multinomial(Handle, samples, replacement ? 1 : 0, generator.Handle));

    /// <summary>0/1 draws with this tensor's elements as probabilities.</summary>
    public Tensor Bernoulli(Generator generator) => Wrap(TorchNative.mt_bernoulli(Handle, generator.Handle));
}
