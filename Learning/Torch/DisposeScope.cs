namespace MetaRl.Learning.Torch;

/// <summary>
/// Collects every tensor created on this thread while it is the innermost scope, and disposes
/// them when the scope ends — except those handed out with <see cref="MoveToOuter"/>. Scopes nest.
/// </summary>
public sealed class DisposeScope : IDisposable
{
    [ThreadStatic] private static DisposeScope? t_current;

    private readonly List<Tensor> _tensors = new();
    private readonly DisposeScope? _outer;
    private bool _disposed;

    public DisposeScope()
    {
        _outer = t_current;
        t_current = this;
    }

    internal static void Track(Tensor tensor) => t_current?._tensors.Add(tensor);

    /// <summary>Keeps <paramref name="tensor"/> alive past this scope (it joins the enclosing scope, if any).</summary>
    public Tensor MoveToOuter(Tensor tensor)
    {
        if (RemoveLast(_tensors, tensor)) _outer?._tensors.Add(tensor);
        return tensor;
    }

    // Tensors handed out are usually the newest ones: search from the end.
    private static bool RemoveLast(List<Tensor> list, Tensor tensor)
    {
        for (int i = list.Count - 1; i >= 0; i--)
        {
            if (ReferenceEquals(list[i], tensor))
            {
                list.RemoveAt(i);
                return true;
            }
        }
        return false;
    }

    /// <summary>Stops tracking <paramref name="tensor"/> in any scope: the caller owns it.</summary>
    public static Tensor Detach(Tensor tensor)
    {
        for (var s = t_current; s is not null; s = s._outer)
            if (RemoveLast(s._tensors, tensor)) break;
        return tensor;
    }

    public int TrackedCount => _tensors.Count;

    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        foreach (var t in _tensors) t.Dispose();
        _tensors.Clear();
        if (t_current == this) t_current = _outer;
    }
}
