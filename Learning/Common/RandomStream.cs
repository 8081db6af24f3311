using System.Buffers.Binary;

namespace MetaRl.Learning.Common;

/// <summary>
/// A seedable, savable random stream (xoshiro256**, seeded through SplitMix64). Every component
/// that needs randomness owns one, so a run's randomness is a set of objects whose 32-byte states
/// go into checkpoints; nothing uses a shared or static generator.
/// </summary>
public sealed class RandomStream
{
    private ulong _s0, _s1, _s2, _s3;

    public RandomStream(ulong seed) => Reseed(seed);

    private RandomStream(ulong s0, ulong s1, ulong s2, ulong s3) => (_s0, _s1, _s2, _s3) = (s0, s1, s2, s3);

    /// <summary>A stream seeded from several values (run seed, task index, episode ...), mixed so that nearby inputs give unrelated streams.</summary>
    public static RandomStream FromKeys(params ulong[] keys)
    {
        ulong h = 0x9E3779B97F4A7C15UL;
        foreach (var k in keys) h = SplitMix(ref h) ^ (k * 0xBF58476D1CE4E5B9UL);
        return new RandomStream(h);
    }

    public void Reseed(ulong seed)
    {
        ulong x = seed;
        _s0 = SplitMix(ref x);
        _s1 = SplitMix(ref x);
        _s2 = SplitMix(ref x);
        _s3 = SplitMix(ref x);
    }

    private static ulong SplitMix(ref ulong x)
    {
        ulong z = x += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    public ulong NextUInt64()
    {
        ulong result = ulong.RotateLeft(_s1 * 5, 7) * 9;
        ulong t = _s1 << 17;
        _s2 ^= _s0;
        _s3 ^= _s1;
        _s1 ^= _s2;
        _s0 ^= _s3;
        _s2 ^= t;
        _s3 = ulong.RotateLeft(_s3, 45);
        return result;
    }

    /// <summary>Uniform on [0, 1) with 53 random bits.</summary>
    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

    public double NextUniform(double low, double high) => low + (high - low) * NextDouble();

    /// <summary>Standard normal (Box–Muller; two uniforms per draw, so the state stays just the four words).</summary>
    public double NextGaussian()
    {
        double u1 = 1.0 - NextDouble(); // (0, 1]
        double u2 = NextDouble();
        return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2);
    }

    /// <summary>Uniform integer on [0, n), without modulo bias (Lemire's method).</summary>
    public int NextInt(int n)
    {
        if (n <= 0) throw new ArgumentOutOfRangeException(nameof(n), n, "must be positive");
        ulong m = (ulong)n;
        UInt128 product = (UInt128)NextUInt64() * m;
        ulong low = (ulong)product;
        if (low < m)
        {
            ulong threshold = (0 - m) % m;
            while (low < threshold)
            {
                product = (UInt128)NextUInt64() * m;
                low = (ulong)product;
            }
        }
        return (int)(product >> 64);
    }

    /// <summary>Gamma(shape, 1) (Marsaglia–Tsang), for Beta draws.</summary>
    public double NextGamma(double shape)
    {
        if (shape <= 0) throw new ArgumentOutOfRangeException(nameof(shape), shape, "must be positive");
        if (shape < 1) return NextGamma(shape + 1) * Math.Pow(NextDouble() is var u && u > 0 ? u : double.Epsilon, 1.0 / shape);
        double d = shape - 1.0 / 3, c = 1.0 / Math.Sqrt(9 * d);
        while (true)
        {
            double x, v;
            do
            {
                x = NextGaussian();
                v = 1 + c * x;
            } while (v <= 0);
            v = v * v * v;
            double u = NextDouble();
            if (u < 1 - 0.0331 * x * x * x * x) return d * v;
            if (Math.Log(u) < 0.5 * x * x + d * (1 - v + Math.Log(v))) return d * v;
        }
    }

    /// <summary>Beta(a, b) as a ratio of gammas.</summary>
    public double NextBeta(double a, double b)
    {
        double x = NextGamma(a), y = NextGamma(b);
        return x / (x + y);
    }

    public void Shuffle<T>(Span<T> items)
    {
        for (int i = items.Length - 1; i > 0; i--)
        {
            int j = NextInt(i + 1);
            (items[i], items[j]) = (items[j], items[i]);
        }
    }

    /// <summary>An independent child stream derived from this one's next output and <paramref name="key"/>.</summary>
    public RandomStream Fork(ulong key) => FromKeys(NextUInt64(), key);

    public const int StateSize = 32;

    public byte[] GetState()
    {
        var b = new byte[StateSize];
        WriteState(b);
        return b;
    }

    public void WriteState(Span<byte> destination)
    {
        BinaryPrimitives.WriteUInt64LittleEndian(destination, _s0);
        BinaryPrimitives.WriteUInt64LittleEndian(destination[8..], _s1);
        BinaryPrimitives.WriteUInt64LittleEndian(destination[16..], _s2);
        BinaryPrimitives.WriteUInt64LittleEndian(destination[24..], _s3);
    }

    public void SetState(ReadOnlySpan<byte> state)
    {
        if (state.Length != StateSize) throw new ArgumentException($"a random stream state is {StateSize} bytes, got {state.Length}", nameof(state));
        var s0 = BinaryPrimitives.ReadUInt64LittleEndian(state);
        var s1 = BinaryPrimitives.ReadUInt64LittleEndian(state[8..]);
        var s2 = BinaryPrimitives.ReadUInt64LittleEndian(state[16..]);
        var s3 = BinaryPrimitives.ReadUInt64LittleEndian(state[24..]);
        if ((s0 | s1 | s2 | s3) == 0) throw new ArgumentException("the all-zero state is not a valid xoshiro state", nameof(state));
        (_s0, _s1, _s2, _s3) = (s0, s1, s2, s3);
    }

    public static RandomStream FromState(ReadOnlySpan<byte> state)
    {
        var r = new RandomStream(0);
        r.SetState(state);
        return r;
    }
}
