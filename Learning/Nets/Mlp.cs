using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace MetaRl.Learning.Nets;

/// <summary>
/// A multilayer perceptron of TorchSharp Linear layers with <see cref="Activation"/> between them and
/// an optional output activation. Parameters, in <see cref="Parameters"/> order: layers.0.weight,
/// layers.0.bias, layers.1.weight, … Besides <see cref="nn.Module{T,TResult}.forward"/>, two
/// functional forwards take the parameters explicitly, so that adapted (inner-loop) parameters are
/// used without touching the module: one parameter list, or a stack of them along a leading task
/// dimension — every task of a meta-batch in one batched computation.
/// </summary>
public sealed class Mlp : nn.Module<Tensor, Tensor>
{
    private readonly ModuleList<Linear> layers;

    public Mlp(IReadOnlyList<long> sizes, Activation hidden, Generator generator, Activation output = Activation.Identity, ScalarType dtype = ScalarType.Float32) : base(nameof(Mlp))
    {
        if (sizes.Count < 2) throw new ArgumentException("an MLP needs at least an input and an output size", nameof(sizes));
        Sizes = sizes.ToArray();
        Hidden = hidden;
        Output = output;
        layers = new ModuleList<Linear>(Enumerable.Range(0, sizes.Count - 1).Select(i => nn.Linear(sizes[i], sizes[i + 1], dtype: dtype)).ToArray());
        RegisterComponents();
        // PyTorch's default for Linear, U(−1/√fanIn, 1/√fanIn) for weights and biases, drawn from the
        // run's own stream (TorchSharp's constructors draw from the process-wide generator).
        using (no_grad())
        {
            foreach (var layer in layers)
            {
                double bound = 1.0 / Math.Sqrt(layer.in_features);
                layer.weight!.uniform_(-bound, bound, generator);
                layer.bias!.uniform_(-bound, bound, generator);
            }
        }
        // A module outlives any dispose scope it happens to be built in.
        Parameters = parameters().Select(p => (Tensor)p.DetachFromDisposeScope()).ToList();
    }

    public IReadOnlyList<long> Sizes { get; }
    public Activation Hidden { get; }
    public Activation Output { get; }

    /// <summary>The module's own parameters (θ), in order. (Build the net in the type it needs; `to(dtype)` would replace them.)</summary>
    public IReadOnlyList<Tensor> Parameters { get; }

    public override Tensor forward(Tensor x) => Forward(x, Parameters);

    /// <summary>Forward with explicit parameters in <see cref="Parameters"/> order (weight and bias per layer). x: [..., in].</summary>
    public Tensor Forward(Tensor x, IReadOnlyList<Tensor> parameters)
    {
        CheckCount(parameters);
        var h = x;
        for (int i = 0; i < layers.Count; i++)
        {
            h = nn.functional.linear(h, parameters[2 * i], parameters[2 * i + 1]);
            h = (i + 1 < layers.Count ? Hidden : Output).Apply(h);
        }
        return h;
    }

    /// <summary>
    /// Forward for a stack of tasks: x [T, N, in]; each parameter with a leading task dimension
    /// (weights [T, out, in], biases [T, out]). Task t's rows go through task t's parameters only.
    /// </summary>
    public Tensor ForwardBatched(Tensor x, IReadOnlyList<Tensor> stacked)
    {
        CheckCount(stacked);
        if (x.dim() != 3) throw new ArgumentException($"batched input must be [tasks, rows, {Sizes[0]}], got [{string.Join(", ", x.shape)}]", nameof(x));
        var h = x;
        for (int i = 0; i < layers.Count; i++)
        {
            var w = stacked[2 * i];
            var b = stacked[2 * i + 1];
            if (w.dim() != 3 || w.shape[0] != x.shape[0] || w.shape[2] != h.shape[2])
                throw new ArgumentException($"layer {i}: batched weight [{string.Join(", ", w.shape)}] does not fit input [{string.Join(", ", h.shape)}]");
            // bmm then add: TorchSharp 0.107's baddbmm hands its operands to libtorch in the wrong order.
            h = h.bmm(w.transpose(1, 2)) + b.unsqueeze(1);
            h = (i + 1 < layers.Count ? Hidden : Output).Apply(h);
        }
        return h;
    }

    /// <summary>θ repeated along a new leading task dimension (a differentiable view: gradients flow back to θ).</summary>
    public static IReadOnlyList<Tensor> Stack(IReadOnlyList<Tensor> parameters, int tasks) =>
        parameters.Select(p => p.unsqueeze(0).expand([tasks, .. p.shape])).ToList();

    private void CheckCount(IReadOnlyList<Tensor> parameters)
    {
        if (parameters.Count != 2 * layers.Count)
            throw new ArgumentException($"this MLP takes {2 * layers.Count} parameter tensors, got {parameters.Count}", nameof(parameters));
    }
}
