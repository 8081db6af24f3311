namespace MetaRl.Learning.Torch.Nn;

/// <summary>All parameters as one flat vector and back — what TRPO's conjugate gradient works on.</summary>
public static class ParameterVector
{
    /// <summary>Concatenation of every tensor, flattened, in list order (differentiable).</summary>
    public static Tensor Flatten(IReadOnlyList<Tensor> tensors)
    {
        using var scope = new DisposeScope();
        var flat = tensors.Select(t => t.Reshape(-1)).ToList();
        return scope.MoveToOuter(Tensor.Cat(flat));
    }

    /// <summary>Splits <paramref name="vector"/> into tensors shaped like <paramref name="like"/> (views; differentiable).</summary>
    public static IReadOnlyList<Tensor> Unflatten(Tensor vector, IReadOnlyList<Tensor> like)
    {
        long total = like.Sum(t => t.NumElements);
        if (vector.NumElements != total) throw new ArgumentException($"vector has {vector.NumElements} elements, the parameters {total}", nameof(vector));
        var result = new List<Tensor>(like.Count);
        long offset = 0;
        foreach (var t in like)
        {
            var n = t.NumElements;
            using (var part = vector.Narrow(0, offset, n))
                result.Add(part.View(t.Shape));
            offset += n;
        }
        return result;
    }

    /// <summary>Writes <paramref name="vector"/> into the parameters in place.</summary>
    public static void Assign(Tensor vector, IReadOnlyList<Tensor> parameters)
    {
        using var scope = new DisposeScope();
        var parts = Unflatten(vector, parameters);
        for (int i = 0; i < parameters.Count; i++) parameters[i].CopyFrom(parts[i]);
    }
}
