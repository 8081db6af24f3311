using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using static TorchSharp.torch;

namespace MetaRl.Learning.Nets;

/// <summary>
/// The forward pass of an <see cref="Mlp"/> in plain C# over a snapshot of its parameter values, for
/// sampling: no tensors, no native calls, no allocation per call. Rows are computed one by one and
/// each dot product sums in one fixed order (eight interleaved partial sums, multiplies and adds kept
/// separate, then a fixed pairwise reduction — the same on AVX, SSE or none), so a row's output does
/// not depend on which other rows share the call, on the thread, or on the machine's vector width.
/// It agrees with libtorch's forward to float rounding, not bit for bit (libtorch's kernels sum in
/// another order); what the learners differentiate stays libtorch's.
/// </summary>
public sealed class MlpKernel
{
    private const int Lanes = 8;
    private readonly int[] _sizes;
    private readonly float[][] _weights; // [out, in] row-major, as nn.Linear stores them
    private readonly float[][] _biases;

    /// <param name="sizes">Layer widths, input first.</param>
    /// <param name="weights">Per layer, the weight [out × in] row-major.</param>
    /// <param name="biases">Per layer, the bias [out].</param>
    public MlpKernel(IReadOnlyList<int> sizes, IReadOnlyList<float[]> weights, IReadOnlyList<float[]> biases, Activation hidden, Activation output)
    {
        if (sizes.Count < 2) throw new ArgumentException("an MLP needs at least an input and an output size", nameof(sizes));
        if (weights.Count != sizes.Count - 1 || biases.Count != sizes.Count - 1) throw new ArgumentException($"{sizes.Count - 1} layers need as many weights and biases");
        for (int l = 0; l < sizes.Count - 1; l++)
        {
            if (weights[l].Length != sizes[l] * sizes[l + 1]) throw new ArgumentException($"layer {l}: weight has {weights[l].Length} values, [{sizes[l + 1]} × {sizes[l]}] needs {sizes[l] * sizes[l + 1]}", nameof(weights));
            if (biases[l].Length != sizes[l + 1]) throw new ArgumentException($"layer {l}: bias has {biases[l].Length} values, needs {sizes[l + 1]}", nameof(biases));
        }
        _sizes = sizes.ToArray();
        _weights = weights.ToArray();
        _biases = biases.ToArray();
        Hidden = hidden;
        Output = output;
        MaxWidth = _sizes.Max();
    }

    /// <summary>A snapshot of <paramref name="parameters"/> (in <see cref="Mlp.Parameters"/> order) for <paramref name="net"/>'s layout.</summary>
    public static MlpKernel FromParameters(Mlp net, IReadOnlyList<Tensor> parameters)
    {
        int layers = net.Sizes.Count - 1;
        if (parameters.Count < 2 * layers) throw new ArgumentException($"this MLP takes {2 * layers} parameter tensors, got {parameters.Count}", nameof(parameters));
        var weights = new float[layers][];
        var biases = new float[layers][];
        for (int l = 0; l < layers; l++)
        {
            weights[l] = Values(parameters[2 * l]);
            biases[l] = Values(parameters[2 * l + 1]);
        }
        return new MlpKernel(net.Sizes.Select(s => (int)s).ToArray(), weights, biases, net.Hidden, net.Output);
    }

    /// <summary>A tensor's values as floats (detached, contiguous copy).</summary>
    public static float[] Values(Tensor t)
    {
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var c = t.detach().to_type(ScalarType.Float32).contiguous();
        return c.data<float>().ToArray();
    }

    public int InputSize => _sizes[0];
    public int OutputSize => _sizes[^1];
    public Activation Hidden { get; }
    public Activation Output { get; }

    /// <summary>The widest layer: <see cref="Forward"/> needs 2 × this much scratch.</summary>
    public int MaxWidth { get; }

    /// <summary>
    /// One row: <paramref name="input"/> [InputSize] → <paramref name="output"/> [OutputSize].
    /// <paramref name="scratch"/> holds at least 2 × <see cref="MaxWidth"/> floats.
    /// </summary>
    public void Forward(ReadOnlySpan<float> input, Span<float> output, Span<float> scratch)
    {
        if (input.Length != InputSize) throw new ArgumentException($"input has {input.Length} values, the MLP takes {InputSize}", nameof(input));
        if (output.Length != OutputSize) throw new ArgumentException($"output has {output.Length} values, the MLP gives {OutputSize}", nameof(output));
        if (scratch.Length < 2 * MaxWidth) throw new ArgumentException($"scratch needs {2 * MaxWidth} floats", nameof(scratch));
        var a = scratch[..MaxWidth];
        var b = scratch.Slice(MaxWidth, MaxWidth);
        ReadOnlySpan<float> x = input;
        int layers = _sizes.Length - 1;
        for (int l = 0; l < layers; l++)
        {
            int n = _sizes[l], m = _sizes[l + 1];
            var y = l == layers - 1 ? output : (l % 2 == 0 ? a : b)[..m];
            var w = _weights[l];
            var bias = _biases[l];
            int j = 0;
            for (; j + 4 <= m; j += 4) Dot4(w.AsSpan(j * n, 4 * n), x, y.Slice(j, 4), bias.AsSpan(j, 4));
            for (; j < m; j++) y[j] = Dot(w.AsSpan(j * n, n), x) + bias[j];
            Apply(l == layers - 1 ? Output : Hidden, y);
            x = y;
        }
    }

    /// <summary>Σ w·x in eight interleaved partial sums (element i into sum i mod 8), then ((s0+s1)+(s2+s3))+((s4+s5)+(s6+s7)).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static float Dot(ReadOnlySpan<float> w, ReadOnlySpan<float> x)
    {
        int n = w.Length, full = n - n % Lanes, i = 0;
        Span<float> s = stackalloc float[Lanes];
        if (Vector256.IsHardwareAccelerated)
        {
            var acc = Vector256<float>.Zero;
            ref float wr = ref MemoryMarshal.GetReference(w);
            ref float xr = ref MemoryMarshal.GetReference(x);
            for (; i < full; i += Lanes)
                acc = Vector256.Add(acc, Vector256.Multiply(Vector256.LoadUnsafe(ref wr, (nuint)i), Vector256.LoadUnsafe(ref xr, (nuint)i)));
            acc.CopyTo(s);
        }
        else
        {
            s.Clear();
            for (; i < full; i += Lanes)
                for (int k = 0; k < Lanes; k++) s[k] += w[i + k] * x[i + k];
        }
        for (int k = 0; i < n; i++, k++) s[k] += w[i] * x[i];
        return ((s[0] + s[1]) + (s[2] + s[3])) + ((s[4] + s[5]) + (s[6] + s[7]));
    }

    /// <summary>
    /// Four consecutive outputs at once, each summed exactly as <see cref="Dot"/> sums it (the four
    /// independent sums only keep the core busier).
    /// </summary>
    private static void Dot4(ReadOnlySpan<float> w, ReadOnlySpan<float> x, Span<float> y, ReadOnlySpan<float> bias)
    {
        int n = x.Length;
        if (!Vector256.IsHardwareAccelerated)
        {
            for (int r = 0; r < 4; r++) y[r] = Dot(w.Slice(r * n, n), x) + bias[r];
            return;
        }
        int full = n - n % Lanes, i = 0;
        var a0 = Vector256<float>.Zero;
        var a1 = Vector256<float>.Zero;
        var a2 = Vector256<float>.Zero;
        var a3 = Vector256<float>.Zero;
        ref float wr = ref MemoryMarshal.GetReference(w);
        ref float xr = ref MemoryMarshal.GetReference(x);
        for (; i < full; i += Lanes)
        {
            var xv = Vector256.LoadUnsafe(ref xr, (nuint)i);
            a0 = Vector256.Add(a0, Vector256.Multiply(Vector256.LoadUnsafe(ref wr, (nuint)i), xv));
            a1 = Vector256.Add(a1, Vector256.Multiply(Vector256.LoadUnsafe(ref wr, (nuint)(n + i)), xv));
            a2 = Vector256.Add(a2, Vector256.Multiply(Vector256.LoadUnsafe(ref wr, (nuint)(2 * n + i)), xv));
            a3 = Vector256.Add(a3, Vector256.Multiply(Vector256.LoadUnsafe(ref wr, (nuint)(3 * n + i)), xv));
        }
        Span<float> s = stackalloc float[4 * Lanes];
        a0.CopyTo(s);
        a1.CopyTo(s[Lanes..]);
        a2.CopyTo(s[(2 * Lanes)..]);
        a3.CopyTo(s[(3 * Lanes)..]);
        for (int r = 0; r < 4; r++)
        {
            var p = s.Slice(r * Lanes, Lanes);
            for (int k = 0, t = i; t < n; t++, k++) p[k] += w[r * n + t] * x[t];
            y[r] = (((p[0] + p[1]) + (p[2] + p[3])) + ((p[4] + p[5]) + (p[6] + p[7]))) + bias[r];
        }
    }

    private static void Apply(Activation activation, Span<float> y)
    {
        switch (activation)
        {
            case Activation.Identity:
                return;
            case Activation.Tanh:
                for (int i = 0; i < y.Length; i++) y[i] = MathF.Tanh(y[i]);
                return;
            case Activation.Relu:
                for (int i = 0; i < y.Length; i++) y[i] = y[i] > 0 ? y[i] : 0f;
                return;
            case Activation.Sigmoid:
                for (int i = 0; i < y.Length; i++) y[i] = 1f / (1f + MathF.Exp(-y[i]));
                return;
            default:
                throw new ArgumentOutOfRangeException(nameof(activation));
        }
    }
}
