namespace MetaRl.Learning.Environments;

/// <summary>An observation or action space.</summary>
public abstract record Space
{
    /// <summary>Number of floats an element of the space occupies (a discrete action is one float holding its index).</summary>
    public abstract int Size { get; }
}

/// <summary>A box of real vectors, low ≤ x ≤ high elementwise (infinite bounds allowed for observations).</summary>
public sealed record BoxSpace(double[] Low, double[] High) : Space
{
    public override int Size => Low.Length;

    public static BoxSpace Symmetric(int dimension, double bound) =>
        new(Enumerable.Repeat(-bound, dimension).ToArray(), Enumerable.Repeat(bound, dimension).ToArray());

    public static BoxSpace Unbounded(int dimension) => Symmetric(dimension, double.PositiveInfinity);

    /// <summary>Clips <paramref name="action"/> into the box, in place.</summary>
    public void Clip(Span<float> action)
    {
        for (int i = 0; i < action.Length; i++) action[i] = (float)Math.Clamp(action[i], Low[i], High[i]);
    }
}

/// <summary>One of <see cref="Count"/> choices, passed as a single float holding the index.</summary>
public sealed record DiscreteSpace(int Count) : Space
{
    public override int Size => 1;

    /// <summary>The index an action float stands for; anything out of range is rejected.</summary>
    public int IndexOf(ReadOnlySpan<float> action)
    {
        var a = action[0];
        int i = (int)a;
        if (i != a || i < 0 || i >= Count) throw new ArgumentOutOfRangeException(nameof(action), a, $"a discrete action is an integer in [0, {Count})");
        return i;
    }
}
