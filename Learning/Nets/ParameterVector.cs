using static TorchSharp.torch;

namespace MetaRl.Learning.Nets;

/// <summary>All parameters as one flat vector and back — what TRPO's conjugate gradient works on.</summary>
public static class ParameterVector
{
    /// <summary>Concatenation of every tensor, flattened, in list order (differentiable).</summary>
    public static Tensor Flatten(IReadOnlyList<Tensor> tensors) => cat(tensors.Select(t => t.reshape(-1)).ToList(), 0);

    /// <summary>Splits <paramref name="vector"/> into tensors shaped like <paramref name="like"/> (views; differentiable).</summary>
    public static IReadOnlyList<Tensor> Unflatten(Tensor vector, IReadOnlyList<Tensor> like)
    {
        long total = like.Sum(t => t.numel());
        if (vector.numel() != total) throw new ArgumentException($"vector has {vector.numel()} elements, the parameters {total}", nameof(vector));
        var result = new List<Tensor>(like.Count);
        long offset = 0;
        foreach (var t in like)
        {
            long n = t.numel();
            result.Add(vector.narrow(0, offset, n).view(t.shape));
            offset += n;
        }
        return result;
    }

    /// <summary>Writes <paramref name="vector"/> into the parameters in place.</summary>
    public static void Assign(Tensor vector, IReadOnlyList<Tensor> parameters)
    {
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var parts = Unflatten(vector, parameters);
        for (int i = 0; i < parameters.Count; i++) parameters[i].copy_(parts[i]);
    }
}
