using System.Runtime.InteropServices;
using MetaRl.Learning.Common;
using MetaRl.Learning.Nets;
using static TorchSharp.torch;

namespace MetaRl.Learning.Tests.Nets;

/// <summary>
/// TorchSharp's native side has no exception guard on matmul, autograd.grad and a generator's
/// set_state: a libtorch error there ends the process. Each test hands the checked wrapper an input
/// libtorch would reject and expects an ArgumentException naming the shapes — the process still runs.
/// </summary>
[TestClass]
public sealed class CheckedCallTests
{
    [TestMethod]
    public void Matmul_with_mismatched_inner_dimensions_names_both_shapes()
    {
        using var scope = NewDisposeScope();
        var e = Assert.ThrowsExactly<ArgumentException>(() => Checked.MatMul(ones(3, 4), ones(5, 2)));
        StringAssert.Contains(e.Message, "[3, 4]");
        StringAssert.Contains(e.Message, "[5, 2]");
        var v = Assert.ThrowsExactly<ArgumentException>(() => Checked.MatMul(ones(3, 4), ones(3)));
        StringAssert.Contains(v.Message, "[3]");
    }

    [TestMethod]
    public void Matmul_with_batch_dimensions_that_do_not_broadcast_names_them()
    {
        using var scope = NewDisposeScope();
        var e = Assert.ThrowsExactly<ArgumentException>(() => Checked.MatMul(ones(2, 3, 4), ones(5, 4, 6)));
        StringAssert.Contains(e.Message, "[2, 3, 4]");
        StringAssert.Contains(e.Message, "[5, 4, 6]");
        StringAssert.Contains(e.Message, "do not broadcast");
    }

    [TestMethod]
    public void Matmul_of_a_scalar_or_of_mixed_types_is_refused()
    {
        using var scope = NewDisposeScope();
        StringAssert.Contains(Assert.ThrowsExactly<ArgumentException>(() => Checked.MatMul(tensor(2f), ones(2))).Message, "at least one dimension");
        StringAssert.Contains(Assert.ThrowsExactly<ArgumentException>(() => Checked.MatMul(ones(2, 2), ones(2, 2, dtype: ScalarType.Float64))).Message, "types differ");
    }

    [TestMethod]
    public void Matmul_that_fits_gives_libtorch_s_answer()
    {
        using var scope = NewDisposeScope();
        var a = arange(6, dtype: ScalarType.Float32).reshape(2, 3);
        var b = arange(12, dtype: ScalarType.Float32).reshape(2, 3, 2);
        CollectionAssert.AreEqual(new float[] { 10, 13, 28, 40 }, Checked.MatMul(a, arange(6, dtype: ScalarType.Float32).reshape(3, 2)).data<float>().ToArray());
        CollectionAssert.AreEqual(new long[] { 2, 2, 2 }, Checked.MatMul(a, b).shape, "a [2, 3] matrix broadcasts over b's batch");
    }

    [TestMethod]
    public void Grad_of_a_non_scalar_output_names_its_shape()
    {
        using var scope = NewDisposeScope();
        var x = ones(3, requires_grad: true);
        var e = Assert.ThrowsExactly<ArgumentException>(() => Checked.Grad(x * 2, [x]));
        StringAssert.Contains(e.Message, "[3]");
        StringAssert.Contains(e.Message, "scalar");
    }

    [TestMethod]
    public void Grad_of_an_output_computed_without_grad_or_with_respect_to_a_constant_is_refused()
    {
        using var scope = NewDisposeScope();
        var x = ones(2, 2, requires_grad: true);
        Tensor y;
        using (no_grad()) y = (x * x).sum();
        StringAssert.Contains(Assert.ThrowsExactly<ArgumentException>(() => Checked.Grad(y, [x])).Message, "does not require grad");
        var constant = ones(4);
        var e = Assert.ThrowsExactly<ArgumentException>(() => Checked.Grad((x * x).sum(), [x, constant]));
        StringAssert.Contains(e.Message, "input 1 of shape [4]");
    }

    [TestMethod]
    public void Grad_gives_zeros_for_an_input_the_output_does_not_use()
    {
        using var scope = NewDisposeScope();
        var x = tensor(new[] { 1.0, 2.0 }, requires_grad: true);
        var unused = ones(3, dtype: ScalarType.Float64, requires_grad: true);
        var grads = Checked.Grad((x * x).sum(), [x, unused]);
        CollectionAssert.AreEqual(new[] { 2.0, 4.0 }, grads[0].data<double>().ToArray());
        CollectionAssert.AreEqual(new[] { 0.0, 0.0, 0.0 }, grads[1].data<double>().ToArray());
    }

    [TestMethod]
    public void A_generator_state_of_the_wrong_size_is_refused_and_the_stream_goes_on_unchanged()
    {
        using var scope = NewDisposeScope();
        var g = new Generator(11);
        var reference = new Generator(11);
        var e = Assert.ThrowsExactly<ArgumentException>(() => Checked.SetState(g, new byte[7]));
        StringAssert.Contains(e.Message, "7 bytes");
        CollectionAssert.AreEqual(rand(5, generator: reference).data<float>().ToArray(), rand(5, generator: g).data<float>().ToArray());
    }

    [TestMethod]
    public void Batched_forward_with_parameters_of_the_wrong_shape_names_them()
    {
        using var scope = NewDisposeScope();
        using var net = new Mlp([3, 4, 1], Activation.Tanh, new Generator(1));
        var stacked = Mlp.Stack(net.Parameters, 2);
        var e = Assert.ThrowsExactly<ArgumentException>(() => net.ForwardBatched(ones(3, 5, 3), stacked));
        StringAssert.Contains(e.Message, "[3, 5, 3]");
        StringAssert.Contains(e.Message, "[2, 4, 3]");
    }

    [TestMethod]
    public void Calls_TorchSharp_guards_come_back_as_exceptions_carrying_libtorch_s_message()
    {
        // The rest of what Learning/ calls (mm, bmm, linear, cat, gather, …) is guarded by TorchSharp.
        using var scope = NewDisposeScope();
        var e = Assert.ThrowsExactly<ExternalException>(() => ones(3, 4).mm(ones(5, 2)));
        StringAssert.Contains(e.Message, "3x4");
        Assert.ThrowsExactly<ExternalException>(() => nn.functional.linear(ones(2, 3), ones(4, 5)));
        Assert.ThrowsExactly<ExternalException>(() => ones(2, 3, 4).bmm(ones(3, 4, 3)));
    }

    [TestMethod]
    public void The_runtime_uses_one_intra_op_thread()
    {
        TorchRuntime.Initialize();
        Assert.AreEqual(1, TorchRuntime.Threads);
        StringAssert.StartsWith(TorchRuntime.Version, "2.");
    }
}
