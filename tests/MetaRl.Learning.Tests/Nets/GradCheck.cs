using static TorchSharp.torch;

namespace MetaRl.Learning.Tests.Nets;

/// <summary>What values an input of a gradient check takes (keeps each operation inside its smooth domain).</summary>
public enum Domain
{
    /// <summary>Uniform on (−2, 2), kept away from 0 by at least 0.05.</summary>
    AwayFromZero,

    /// <summary>Uniform on (0.2, 2).</summary>
    Positive,

    /// <summary>Uniform on (−0.9, 0.9).</summary>
    Unit,
}

public sealed record GradInput(long[] Shape, Domain Domain = Domain.AwayFromZero);

/// <summary>
/// Finite-difference gradient check in float64: the analytic gradient of Σ w ⊙ f(x) (w fixed random
/// weights, so every output element matters) against central differences, element by element.
/// </summary>
public static class GradCheck
{
    /// <param name="differentiableEvaluation">
    /// Evaluate the perturbed points with inputs that require grad (for functions that take
    /// gradients themselves, like a MAML inner loop); otherwise they are evaluated under no_grad.
    /// </param>
    public static void Verify(Func<Tensor[], Tensor> f, IReadOnlyList<GradInput> inputs, int seed = 7, double eps = 1e-6, double tolerance = 1e-5, bool differentiableEvaluation = false)
    {
        var rng = new Random(seed);
        var data = inputs.Select(i => Sample(i, rng)).ToArray();
        using var scope = NewDisposeScope();
        var xs = data.Select((d, i) => tensor(d, inputs[i].Shape, requires_grad: true)).ToArray();
        var y = f(xs);
        Assert.AreEqual(ScalarType.Float64, y.dtype, "gradient checks run in float64");
        var weights = Enumerable.Range(0, (int)y.numel()).Select(_ => rng.NextDouble() * 2 - 1).ToArray();
        var w = tensor(weights, y.shape);
        var loss = (y * w).sum();
        var analytic = autograd.grad([loss], xs, allow_unused: true)
            .Select((g, i) => g is null || g.IsInvalid ? new double[data[i].Length] : g.data<double>().ToArray()).ToArray();

        double Evaluate(double[][] values)
        {
            using var inner = NewDisposeScope();
            using var mode = differentiableEvaluation ? enable_grad() : no_grad();
            var ts = values.Select((d, i) => tensor(d, inputs[i].Shape, requires_grad: differentiableEvaluation)).ToArray();
            return (f(ts) * w).sum().item<double>();
        }

        for (int i = 0; i < data.Length; i++)
        {
            for (int j = 0; j < data[i].Length; j++)
            {
                var original = data[i][j];
                data[i][j] = original + eps;
                var plus = Evaluate(data);
                data[i][j] = original - eps;
                var minus = Evaluate(data);
                data[i][j] = original;
                var numeric = (plus - minus) / (2 * eps);
                var a = analytic[i][j];
                var scale = Math.Max(1.0, Math.Max(Math.Abs(a), Math.Abs(numeric)));
                Assert.IsTrue(Math.Abs(a - numeric) <= tolerance * scale,
                    $"input {i} element {j}: analytic {a:G10}, finite difference {numeric:G10}");
            }
        }
    }

    private static double[] Sample(GradInput input, Random rng)
    {
        long n = input.Shape.Aggregate(1L, (a, d) => a * d);
        var values = new double[n];
        for (long k = 0; k < n; k++)
        {
            values[k] = input.Domain switch
            {
                Domain.Positive => 0.2 + 1.8 * rng.NextDouble(),
                Domain.Unit => -0.9 + 1.8 * rng.NextDouble(),
                _ => (rng.Next(2) == 0 ? -1 : 1) * (0.05 + 1.95 * rng.NextDouble()),
            };
        }
        return values;
    }
}
