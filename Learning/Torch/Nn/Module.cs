namespace MetaRl.Learning.Torch.Nn;

/// <summary>
/// A module owns named parameters and child modules, in registration order. Parameters() lists
/// its own parameters first, then each child's, depth first: every functional forward takes an
/// explicit parameter list in exactly that order, so adapted (inner-loop) parameters can be used
/// without mutating the module.
/// </summary>
public abstract class Module : IDisposable
{
    private readonly List<(string Name, Tensor Value)> _parameters = new();
    private readonly List<(string Name, Module Child)> _children = new();
    private bool _disposed;

    /// <summary>Registers a trainable tensor. The module owns it from now on: no dispose scope releases it.</summary>
    protected Tensor RegisterParameter(string name, Tensor value)
    {
        if (_parameters.Any(p => p.Name == name) || _children.Any(c => c.Name == name))
            throw new ArgumentException($"'{name}' is already registered", nameof(name));
        DisposeScope.Detach(value);
        if (!value.RequiresGrad) value.RequiresGrad = true;
        _parameters.Add((name, value));
        return value;
    }

    protected T RegisterModule<T>(string name, T child) where T : Module
    {
        if (_parameters.Any(p => p.Name == name) || _children.Any(c => c.Name == name))
            throw new ArgumentException($"'{name}' is already registered", nameof(name));
        _children.Add((name, child));
        return child;
    }

    /// <summary>All parameters, own first, then children's depth first.</summary>
    public IReadOnlyList<Tensor> Parameters() => NamedParameters().Select(p => p.Value).ToList();

    /// <summary>Parameters with dotted names ("layers.0.weight"), in <see cref="Parameters"/> order.</summary>
    public IReadOnlyList<(string Name, Tensor Value)> NamedParameters()
    {
        var all = new List<(string, Tensor)>();
        Collect("", all);
        return all;
    }

    private void Collect(string prefix, List<(string, Tensor)> into)
    {
        foreach (var (name, value) in _parameters) into.Add((prefix + name, value));
        foreach (var (name, child) in _children) child.Collect(prefix + name + ".", into);
    }

    public int ParameterTensorCount => NamedParameters().Count;

    /// <summary>Total number of scalar parameters.</summary>
    public long ParameterElementCount => Parameters().Sum(p => p.NumElements);

    /// <summary>Clears every parameter's accumulated gradient.</summary>
    public void ZeroGrad()
    {
        foreach (var p in Parameters()) p.Grad = null;
    }

    /// <summary>Copies every parameter's values from <paramref name="source"/> (same architecture).</summary>
    public void CopyParametersFrom(Module source) => LoadParameters(source.Parameters());

    /// <summary>Overwrites the parameters in place with <paramref name="values"/>, in <see cref="Parameters"/> order.</summary>
    public void LoadParameters(IReadOnlyList<Tensor> values)
    {
        var mine = Parameters();
        if (mine.Count != values.Count) throw new ArgumentException($"expected {mine.Count} tensors, got {values.Count}", nameof(values));
        for (int i = 0; i < mine.Count; i++) mine[i].CopyFrom(values[i]);
    }

    /// <summary>The parameters as a named archive (see <see cref="Serialization.TensorArchive"/>).</summary>
    public Serialization.TensorArchive StateDict()
    {
        var archive = new Serialization.TensorArchive();
        foreach (var (name, value) in NamedParameters()) archive.Add(name, value);
        return archive;
    }

    /// <summary>Loads parameters by name; a missing name or a shape mismatch throws and changes nothing.</summary>
    public void LoadStateDict(Serialization.TensorArchive archive)
    {
        var named = NamedParameters();
        foreach (var (name, value) in named)
        {
            if (!archive.TryGet(name, out var entry))
                throw new ArgumentException($"state dict has no entry '{name}'");
            if (!entry.Shape.SequenceEqual(value.Shape))
                throw new ArgumentException($"'{name}': state dict shape [{string.Join(",", entry.Shape)}], module shape [{string.Join(",", value.Shape)}]");
        }
        foreach (var (name, value) in named)
        {
            using var source = archive.ToTensor(name);
            value.CopyFrom(source);
        }
    }

    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        foreach (var (_, value) in _parameters) value.Dispose();
        foreach (var (_, child) in _children) child.Dispose();
        GC.SuppressFinalize(this);
    }
}
