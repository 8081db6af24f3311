using MetaRl.Learning.Torch;
using MetaRl.Learning.Torch.Distributions;
using MetaRl.Learning.Torch.Nn;
using F = MetaRl.Learning.Torch.Nn.Functional;

namespace MetaRl.Learning.Tests.Torch;

/// <summary>Every differentiable operation and module of the binding against finite differences.</summary>
[TestClass]
public sealed class GradientCheckTests
{
    private static GradInput In(params long[] shape) => new(shape);
    private static GradInput Pos(params long[] shape) => new(shape, Domain.Positive);
    private static GradInput Unit(params long[] shape) => new(shape, Domain.Unit);
    private static GradInput Prob(params long[] shape) => new(shape, Domain.Probability);

    private static Tensor Long(params long[] values) => Tensor.From(values, [values.Length]);
    private static Tensor Long2(long rows, long cols, params long[] values) => Tensor.From(values, [rows, cols]);

    private static readonly Dictionary<string, (Func<Tensor[], Tensor> F, GradInput[] Inputs)> Cases = new()
    {
        // elementwise, one input
        ["neg"] = (x => -x[0], [In(2, 3)]),
        ["exp"] = (x => x[0].Exp(), [In(2, 3)]),
        ["log"] = (x => x[0].Log(), [Pos(2, 3)]),
        ["tanh"] = (x => x[0].Tanh(), [In(2, 3)]),
        ["relu"] = (x => x[0].Relu(), [In(2, 3)]),
        ["sigmoid"] = (x => x[0].Sigmoid(), [In(2, 3)]),
        ["softplus"] = (x => x[0].Softplus(), [In(2, 3)]),
        ["sqrt"] = (x => x[0].Sqrt(), [Pos(2, 3)]),
        ["rsqrt"] = (x => x[0].Rsqrt(), [Pos(2, 3)]),
        ["abs"] = (x => x[0].Abs(), [In(2, 3)]),
        ["square"] = (x => x[0].Square(), [In(2, 3)]),
        ["sin"] = (x => x[0].Sin(), [In(2, 3)]),
        ["cos"] = (x => x[0].Cos(), [In(2, 3)]),
        ["log1p"] = (x => x[0].Log1p(), [Pos(2, 3)]),
        ["expm1"] = (x => x[0].Expm1(), [In(2, 3)]),
        ["reciprocal"] = (x => x[0].Reciprocal(), [In(2, 3)]),
        ["log_sigmoid"] = (x => x[0].LogSigmoid(), [In(2, 3)]),
        ["erf"] = (x => x[0].Erf(), [In(2, 3)]),
        ["lgamma"] = (x => x[0].Lgamma(), [Pos(2, 3)]),
        ["atanh"] = (x => x[0].Atanh(), [Unit(2, 3)]),
        ["pow_scalar"] = (x => x[0].Pow(2.5), [Pos(2, 3)]),
        ["clamp"] = (x => x[0].Clamp(-1, 1), [In(3, 4)]),
        ["clamp_min"] = (x => x[0].ClampMin(0.5), [In(3, 4)]),
        ["clone"] = (x => x[0].Clone() * 2, [In(2, 3)]),
        ["scalar_arithmetic"] = (x => (3 - x[0]) * 2 + x[0] / 4 - 1 + 2 / x[0], [In(2, 3)]),
        ["softmax"] = (x => x[0].Softmax(-1), [In(2, 4)]),
        ["log_softmax"] = (x => x[0].LogSoftmax(1), [In(2, 4)]),
        ["cumsum"] = (x => x[0].CumSum(1), [In(2, 4)]),
        ["cumprod"] = (x => x[0].CumProd(0), [In(3, 2)]),

        // elementwise, two or more inputs (with broadcasting)
        ["add_broadcast"] = (x => x[0] + x[1], [In(2, 3), In(3)]),
        ["sub_broadcast"] = (x => x[0] - x[1], [In(2, 3), In(2, 1)]),
        ["mul_broadcast"] = (x => x[0] * x[1], [In(2, 3), In(1, 3)]),
        ["div"] = (x => x[0] / x[1], [In(2, 3), In(2, 3)]),
        ["pow_tensor"] = (x => x[0].Pow(x[1]), [Pos(2, 3), In(2, 3)]),
        ["maximum"] = (x => x[0].Maximum(x[1]), [In(2, 3), In(2, 3)]),
        ["minimum"] = (x => x[0].Minimum(x[1]), [In(2, 3), In(2, 3)]),
        ["atan2"] = (x => x[0].Atan2(x[1]), [In(2, 3), In(2, 3)]),
        ["where"] = (x => Tensor.Where(x[0].Gt(0), x[0] * x[1], x[1].Exp()), [In(2, 3), In(2, 3)]),
        ["masked_fill"] = (x => x[0].MaskedFill(x[0].Lt(0), 0.25) * x[0], [In(2, 3)]),
        ["addcmul"] = (x => x[0].AddCMul(x[1], x[2], 0.5), [In(2, 3), In(2, 3), In(2, 3)]),

        // linear algebra
        ["matmul"] = (x => x[0].MatMul(x[1]), [In(2, 3), In(3, 4)]),
        ["matmul_batched"] = (x => x[0].MatMul(x[1]), [In(2, 2, 3), In(3, 2)]),
        ["matvec"] = (x => x[0].MatMul(x[1]), [In(3, 4), In(4)]),
        ["addmm"] = (x => x[0].AddMM(x[1], x[2], 0.5, 2), [In(2, 4), In(2, 3), In(3, 4)]),
        ["dot"] = (x => x[0].Dot(x[1]), [In(5), In(5)]),

        // reductions
        ["sum_all"] = (x => x[0].Sum(), [In(2, 3)]),
        ["sum_dim"] = (x => x[0].Sum(1, keepDim: true), [In(2, 3)]),
        ["sum_dims"] = (x => x[0].Sum([0, 2]), [In(2, 3, 2)]),
        ["mean_all"] = (x => x[0].Mean(), [In(2, 3)]),
        ["mean_dim"] = (x => x[0].Mean(0), [In(2, 3)]),
        ["max_all"] = (x => x[0].Max(), [In(2, 3)]),
        ["min_all"] = (x => x[0].Min(), [In(2, 3)]),
        ["max_dim_values"] = (x => x[0].Max(1).Values, [In(3, 4)]),
        ["min_dim_values"] = (x => x[0].Min(0).Values, [In(3, 4)]),
        ["amax"] = (x => x[0].AMax(1), [In(3, 4)]),
        ["logsumexp"] = (x => x[0].LogSumExp(1), [In(3, 4)]),
        ["prod_all"] = (x => x[0].Prod(), [In(2, 3)]),
        ["prod_dim"] = (x => x[0].Prod(1), [In(2, 3)]),
        ["std"] = (x => x[0].Std(1), [In(3, 4)]),
        ["var_all"] = (x => x[0].Var(), [In(3, 4)]),
        ["norm"] = (x => x[0].Norm(), [In(3, 4)]),
        ["sort_values"] = (x => x[0].Sort(1, descending: true).Values, [In(2, 5)]),
        ["topk_values"] = (x => x[0].TopK(2, 1).Values, [In(2, 5)]),
        ["quantile_all"] = (x => x[0].Quantile(0.3), [In(7)]),
        ["quantile_dim"] = (x => x[0].Quantile(0.8, 1), [In(2, 6)]),

        // shape and indexing
        ["reshape"] = (x => x[0].Reshape(3, -1) * Tensor.Arange(1, 3, 1, ScalarType.Float64), [In(2, 3)]),
        ["view"] = (x => x[0].View(6).Square(), [In(2, 3)]),
        ["expand"] = (x => x[0].Expand(3, 4).Square(), [In(1, 4)]),
        ["repeat"] = (x => x[0].Repeat(2, 3).Square(), [In(2, 2)]),
        ["permute"] = (x => x[0].Permute(2, 0, 1).Contiguous().View(-1).CumSum(0), [In(2, 3, 2)]),
        ["transpose"] = (x => x[0].T.MatMul(x[0]), [In(3, 2)]),
        ["squeeze_unsqueeze"] = (x => x[0].Squeeze(1).Unsqueeze(0).Square(), [In(3, 1, 2)]),
        ["flatten"] = (x => x[0].Flatten(1).CumSum(1), [In(2, 2, 2)]),
        ["slice"] = (x => x[0].Slice(1, 1, 5, 2).Square(), [In(2, 6)]),
        ["narrow"] = (x => x[0].Narrow(0, 1, 2).Exp(), [In(4, 2)]),
        ["select"] = (x => x[0].Select(1, 2).Square(), [In(3, 4)]),
        ["index_select"] = (x => x[0].IndexSelect(0, Long(2, 0, 2)).Square(), [In(3, 2)]),
        ["gather"] = (x => x[0].Gather(1, Long2(2, 2, 1, 0, 2, 2)).Square(), [In(2, 3)]),
        ["scatter_add"] = (x => x[0].ScatterAdd(1, Long2(2, 2, 0, 0, 2, 1), x[1]).Square(), [In(2, 3), In(2, 2)]),
        ["masked_select"] = (x => x[0].MaskedSelect(x[0].Gt(0)).Square(), [In(3, 3)]),
        ["cat"] = (x => Tensor.Cat([x[0], x[1]], 1).CumSum(1), [In(2, 2), In(2, 3)]),
        ["stack"] = (x => Tensor.Stack([x[0], x[1]], 0).CumProd(0), [In(2, 3), In(2, 3)]),
        ["flip"] = (x => x[0].Flip(1).CumSum(1), [In(2, 3)]),

        // nn
        ["linear"] = (x => F.Linear(x[0], x[1], x[2]), [In(4, 3), In(2, 3), In(2)]),
        ["linear_no_bias"] = (x => F.Linear(x[0], x[1], null), [In(4, 3), In(2, 3)]),
        ["gru_cell"] = (x => F.GruCell(x[0], x[1], x[2], x[3], x[4], x[5]), [Unit(2, 3), Unit(2, 2), Unit(6, 3), Unit(6, 2), Unit(6), Unit(6)]),
        ["gru_sequence"] = (x => F.Gru(x[0], x[1], [x[2], x[3], x[4], x[5]], 1, true, false).Output, [Unit(3, 2, 2), Unit(1, 2, 3), Unit(9, 2), Unit(9, 3), Unit(9), Unit(9)]),
        ["gru_two_layers_hidden"] = (x => F.Gru(x[0], x[1], [x[2], x[3], x[4], x[5], x[6], x[7], x[8], x[9]], 2, true, true).Hidden,
            [Unit(2, 3, 2), Unit(2, 2, 2), Unit(6, 2), Unit(6, 2), Unit(6), Unit(6), Unit(6, 2), Unit(6, 2), Unit(6), Unit(6)]),
        ["gru_fused_output_and_hidden"] = (x =>
        {
            var (output, hidden) = F.GruFused(x[0], x[1], x[2], x[3], x[4], x[5], batchFirst: false);
            return Tensor.Cat([output.Reshape(-1), hidden.Reshape(-1) * 3]);
        }, [Unit(4, 2, 3), Unit(2, 3), Unit(9, 3), Unit(9, 3), Unit(9), Unit(9)]),
        ["gru_fused_batch_first"] = (x => F.GruFused(x[0], x[1], x[2], x[3], x[4], x[5], batchFirst: true).Output,
            [Unit(2, 3, 2), Unit(2, 2), Unit(6, 2), Unit(6, 2), Unit(6), Unit(6)]),
        ["mse_loss"] = (x => F.MseLoss(x[0], x[1]), [In(3, 2), In(3, 2)]),
        ["mse_loss_none"] = (x => F.MseLoss(x[0], x[1], F.Reduction.None), [In(3, 2), In(3, 2)]),
        ["bce_with_logits_weighted"] = (x => F.BinaryCrossEntropyWithLogits(x[0], x[1], Tensor.From([0.5, 2.0, 1.0, 0.1, 3.0], [5]), F.Reduction.Sum), [In(5), Prob(5)]),

        // distributions
        ["gaussian_log_prob"] = (x => new DiagonalGaussian(x[0], x[1]).LogProb(x[2]), [In(3, 2), Unit(2), In(3, 2)]),
        ["gaussian_entropy"] = (x => new DiagonalGaussian(x[0], x[1]).Entropy(), [In(3, 2), Unit(3, 2)]),
        ["gaussian_kl"] = (x => new DiagonalGaussian(x[0], x[1]).KlDivergence(new DiagonalGaussian(x[2], x[3])), [In(3, 2), Unit(2), In(3, 2), Unit(2)]),
        ["categorical_log_prob"] = (x => new Categorical(x[0]).LogProb(Long(2, 0, 1)), [In(3, 4)]),
        ["categorical_entropy"] = (x => new Categorical(x[0]).Entropy(), [In(3, 4)]),
        ["categorical_kl"] = (x => new Categorical(x[0]).KlDivergence(new Categorical(x[1])), [In(3, 4), In(3, 4)]),
    };

    public static IEnumerable<object[]> CaseNames => Cases.Keys.Select(k => new object[] { k });

    [TestMethod]
    [DynamicData(nameof(CaseNames))]
    public void Analytic_gradient_matches_finite_differences(string operation)
    {
        var (f, inputs) = Cases[operation];
        GradCheck.Verify(f, inputs);
    }

    [TestMethod]
    public void Mlp_module_gradients_match_finite_differences_through_its_parameters()
    {
        using var g = new Generator(3);
        using var mlp = new Mlp([3, 5, 4, 2], Activation.Tanh, g);
        var shapes = mlp.Parameters().Select(p => new GradInput(p.Shape, Domain.Unit)).ToList();
        shapes.Insert(0, new GradInput([4, 3]));
        GradCheck.Verify(x => mlp.Forward(x[0], x[1..]), shapes);
    }

    [TestMethod]
    public void Fused_gru_computes_the_same_function_and_gradients_as_libtorchs_gru()
    {
        using var g = new Generator(21);
        using var gru = new Gru(5, 7, g, batchFirst: true);
        using var fused = new Gru(5, 7, g, batchFirst: true, fused: true);
        fused.CopyParametersFrom(gru);
        using var scope = new DisposeScope();
        var x = Tensor.RandN([3, 6, 5], g);
        var h0 = Tensor.RandN([1, 3, 7], g);
        var (o1, h1) = gru.Forward(x, h0);
        var (o2, h2) = fused.Forward(x, h0);
        AssertClose(o1.ToFloatArray(), o2.ToFloatArray(), 1e-6);
        AssertClose(h1.ToFloatArray(), h2.ToFloatArray(), 1e-6);
        var g1 = Autograd.Grad((o1.Sin().Sum() + h1.Square().Sum()), gru.Parameters());
        var g2 = Autograd.Grad((o2.Sin().Sum() + h2.Square().Sum()), fused.Parameters());
        for (int i = 0; i < g1.Length; i++) AssertClose(g1[i].ToFloatArray(), g2[i].ToFloatArray(), 1e-5);
    }

    [TestMethod]
    public void Fused_gru_refuses_higher_order_gradients_with_a_clear_message()
    {
        using var g = new Generator(22);
        using var fused = new Gru(2, 3, g, fused: true);
        using var scope = new DisposeScope();
        var (output, _) = fused.Forward(Tensor.RandN([4, 2, 2], g));
        var first = Autograd.Grad(output.Sum(), fused.Parameters(), retainGraph: true);
        Assert.AreEqual(4, first.Length);
        var e = Assert.ThrowsExactly<TorchException>(() => Autograd.Grad(output.Sum(), fused.Parameters(), createGraph: true));
        StringAssert.Contains(e.Message, "first-order gradients only");
    }

    private static void AssertClose(float[] expected, float[] actual, double tolerance)
    {
        Assert.AreEqual(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
            Assert.AreEqual(expected[i], actual[i], tolerance * Math.Max(1, Math.Abs(expected[i])), $"element {i}");
    }

    [TestMethod]
    public void Gru_module_gradients_match_finite_differences_through_input_state_and_parameters()
    {
        using var g = new Generator(4);
        using var gru = new Gru(2, 3, g, layers: 1, batchFirst: true);
        var shapes = gru.Parameters().Select(p => new GradInput(p.Shape, Domain.Unit)).ToList();
        shapes.Insert(0, new GradInput([1, 2, 3], Domain.Unit));
        shapes.Insert(0, new GradInput([2, 4, 2], Domain.Unit));
        GradCheck.Verify(x =>
        {
            var (output, hidden) = gru.Forward(x[0], x[1], x[2..]);
            return Tensor.Cat([output.Reshape(-1), hidden.Reshape(-1)]);
        }, shapes);
    }
}
