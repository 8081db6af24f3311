using TorchSharp;
using static TorchSharp.torch;

namespace MetaRl.Learning.Nets;

/// <summary>
/// The TorchSharp calls we use whose native side has no exception guard — a libtorch error there
/// terminates the process instead of becoming a C# exception — with their inputs checked here first:
/// a bad input is an <see cref="ArgumentException"/> that names the shapes. (Every other call we use
/// is guarded by TorchSharp and comes back as an exception carrying libtorch's message.)
/// </summary>
public static class Checked
{
    /// <summary>torch.matmul (THSTensor_matmul is unguarded): the shapes must agree by matmul's rules.</summary>
    public static Tensor MatMul(Tensor a, Tensor b)
    {
        if (a.dim() == 0 || b.dim() == 0) throw new ArgumentException($"matmul of [{Shape(a)}] and [{Shape(b)}]: both operands need at least one dimension");
        long inner = b.dim() == 1 ? b.shape[0] : b.shape[^2];
        if (a.shape[^1] != inner)
            throw new ArgumentException($"matmul of [{Shape(a)}] and [{Shape(b)}]: the inner dimensions {a.shape[^1]} and {inner} differ");
        if (a.dim() > 2 && b.dim() > 2)
        {
            var ab = a.shape[..^2];
            var bb = b.shape[..^2];
            for (int i = 1; i <= Math.Min(ab.Length, bb.Length); i++)
            {
                long x = ab[^i], y = bb[^i];
                if (x != y && x != 1 && y != 1)
                    throw new ArgumentException($"matmul of [{Shape(a)}] and [{Shape(b)}]: batch dimensions [{string.Join(", ", ab)}] and [{string.Join(", ", bb)}] do not broadcast");
            }
        }
        if (a.dtype != b.dtype) throw new ArgumentException($"matmul of [{Shape(a)}] {a.dtype} and [{Shape(b)}] {b.dtype}: the types differ");
        return a.matmul(b);
    }

    /// <summary>
    /// torch.autograd.grad (THSAutograd_grad is unguarded) of a scalar <paramref name="output"/> with
    /// respect to <paramref name="inputs"/>; an input the output does not depend on gets a zero gradient.
    /// </summary>
    public static IReadOnlyList<Tensor> Grad(Tensor output, IReadOnlyList<Tensor> inputs, bool createGraph = false, bool retainGraph = false)
    {
        if (output.numel() != 1) throw new ArgumentException($"grad of an output of shape [{Shape(output)}]: it must be a scalar");
        if (!output.requires_grad) throw new ArgumentException($"grad of an output of shape [{Shape(output)}] that does not require grad (computed under no_grad, or from no parameter)");
        for (int i = 0; i < inputs.Count; i++)
            if (!inputs[i].requires_grad) throw new ArgumentException($"grad with respect to input {i} of shape [{Shape(inputs[i])}], which does not require grad");
        var grads = autograd.grad([output], inputs.ToList(), retain_graph: retainGraph || createGraph, create_graph: createGraph, allow_unused: true);
        return grads.Select((g, i) => g is null || g.IsInvalid ? zeros_like(inputs[i]) : g).ToList();
    }

    /// <summary>Generator.set_state (THSGenerator_set_rng_state is unguarded): the state must be one this generator gave.</summary>
    public static void SetState(Generator generator, byte[] state)
    {
        using var current = generator.get_state();
        if (state.Length != current.numel())
            throw new ArgumentException($"random stream state of {state.Length} bytes; this generator's state has {current.numel()}");
        using var bytes = tensor(state, dtype: ScalarType.Byte);
        generator.set_state(bytes);
    }

    /// <summary>A generator's state as bytes (what <see cref="SetState"/> takes).</summary>
    public static byte[] GetState(Generator generator)
    {
        using var state = generator.get_state();
        return state.bytes.ToArray();
    }

    private static string Shape(Tensor t) => string.Join(", ", t.shape);
}
