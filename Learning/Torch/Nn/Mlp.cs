namespace MetaRl.Learning.Torch.Nn;

/// <summary>
/// A multilayer perceptron: Linear layers with <see cref="Activation"/> between them and an
/// optional output activation. Parameters: layers.0.weight, layers.0.bias, layers.1.weight, ...
/// </summary>
public sealed class Mlp : Module
{
    private readonly List<Linear> _layers = new();

    public Mlp(IReadOnlyList<long> sizes, Activation hidden, Generator generator, Activation output = Activation.Identity)
    {
        if (sizes.Count < 2) throw new ArgumentException("an MLP needs at least an input and an output size", nameof(sizes));
        Sizes = sizes.ToArray();
        Hidden = hidden;
        Output = output;
        var layers = new LayerList();
        RegisterModule("layers", layers);
        for (int i = 0; i + 1 < sizes.Count; i++)
            _layers.Add(layers.Add(new Linear(sizes[i], sizes[i + 1], generator)));
    }

    public IReadOnlyList<long> Sizes { get; }
    public Activation Hidden { get; }
    public Activation Output { get; }

    public Tensor Forward(Tensor x) => Forward(x, Parameters());

    /// <summary>Forward with explicit parameters in <see cref="Module.Parameters"/> order (2 per layer).</summary>
    public Tensor Forward(Tensor x, IReadOnlyList<Tensor> parameters)
    {
        if (parameters.Count != 2 * _layers.Count)
            throw new ArgumentException($"this MLP takes {2 * _layers.Count} parameter tensors, got {parameters.Count}", nameof(parameters));
        var h = x;
        for (int i = 0; i < _layers.Count; i++)
        {
            h = Functional.Linear(h, parameters[2 * i], parameters[2 * i + 1]);
            h = (i + 1 < _layers.Count ? Hidden : Output).Apply(h);
        }
        return h;
    }

    /// <summary>Holds the layers under numeric names ("0", "1", ...).</summary>
    private sealed class LayerList : Module
    {
        private int _count;

        public Linear Add(Linear layer) => RegisterModule((_count++).ToString(System.Globalization.CultureInfo.InvariantCulture), layer);
    }
}
