using MetaRl.Learning.Torch;
using MetaRl.Learning.Torch.Nn;

namespace MetaRl.Learning.Tests.Torch;

/// <summary>Every libtorch failure becomes a TorchException carrying libtorch's message; the process carries on.</summary>
[TestClass]
public sealed class ErrorPathTests
{
    private static void Throws(Func<Tensor> action, string messagePart)
    {
        using var scope = new DisposeScope();
        var e = Assert.ThrowsExactly<TorchException>(() => action());
        StringAssert.Contains(e.Message, messagePart);
    }

    [TestMethod]
    public void Broadcasting_mismatch() =>
        Throws(() => Tensor.Zeros([2, 3]) + Tensor.Zeros([4]), "must match the size");

    [TestMethod]
    public void View_that_the_layout_does_not_allow() =>
        Throws(() => Tensor.Zeros([4, 6]).T.View(24), "view size is not compatible");

    [TestMethod]
    public void Dimension_out_of_range() =>
        Throws(() => Tensor.Zeros([2, 3]).Sum(5), "Dimension out of range");

    [TestMethod]
    public void Index_out_of_range() =>
        Throws(() => Tensor.Zeros([3, 2]).IndexSelect(0, Tensor.From([7L], [1])), "out of range");

    [TestMethod]
    public void Mixed_dtypes_in_matmul() =>
        Throws(() => Tensor.Zeros([2, 2]).MatMul(Tensor.Zeros([2, 2], ScalarType.Float64)), "expected scalar type Float but found Double");

    [TestMethod]
    public void Reshape_to_an_impossible_size() =>
        Throws(() => Tensor.Zeros([2, 3]).Reshape(4, 2), "is invalid for input of size 6");

    [TestMethod]
    public void Gather_with_float_indices() =>
        Throws(() => Tensor.Zeros([2, 3]).Gather(1, Tensor.Zeros([2, 1])), "int64");

    [TestMethod]
    public void Backward_of_a_non_scalar_without_a_gradient()
    {
        using var scope = new DisposeScope();
        var x = Tensor.Zeros([3], requiresGrad: true);
        var e = Assert.ThrowsExactly<TorchException>(() => (x * 2).Backward());
        StringAssert.Contains(e.Message, "grad can be implicitly created only for scalar outputs");
    }

    [TestMethod]
    public void Gradient_of_something_that_does_not_require_grad()
    {
        using var scope = new DisposeScope();
        var x = Tensor.Zeros([3]);
        var e = Assert.ThrowsExactly<TorchException>(() => Autograd.Grad(x.Sum(), [x]));
        StringAssert.Contains(e.Message, "does not require grad");
    }

    [TestMethod]
    public void Backward_twice_through_a_freed_graph()
    {
        using var scope = new DisposeScope();
        var x = Tensor.Ones([3], requiresGrad: true);
        var y = (x.Exp() * x).Sum();
        y.Backward();
        var e = Assert.ThrowsExactly<TorchException>(() => y.Backward());
        StringAssert.Contains(e.Message, "backward through the graph a second time");
    }

    [TestMethod]
    public void Linear_with_the_wrong_input_width()
    {
        using var g = new Generator(1);
        using var layer = new Linear(3, 2, g);
        Throws(() => layer.Forward(Tensor.Zeros([4, 5])), "cannot be multiplied");
    }

    [TestMethod]
    public void Gru_with_the_wrong_number_of_parameter_tensors_is_rejected_before_libtorch()
    {
        using var scope = new DisposeScope();
        var e = Assert.ThrowsExactly<ArgumentException>(() => Functional.Gru(Tensor.Zeros([2, 1, 3]), Tensor.Zeros([1, 1, 4]), [Tensor.Zeros([12, 3])], 1, true, false));
        StringAssert.Contains(e.Message, "takes 4 parameter tensors");
    }

    [TestMethod]
    public void Cuda_device_on_a_build_without_cuda_is_a_clear_error()
    {
        if (TorchRuntime.CudaAvailable) Assert.Inconclusive("this libtorch has CUDA");
        Throws(() => Tensor.Zeros([2], device: Device.Cuda), "no CUDA");
    }

    [TestMethod]
    public void Using_a_disposed_tensor_throws_ObjectDisposedException()
    {
        var t = Tensor.Zeros([2]);
        t.Dispose();
        Assert.ThrowsExactly<ObjectDisposedException>(() => t.Sum());
    }

    [TestMethod]
    public void Many_failures_in_a_row_leave_the_binding_working()
    {
        using var scope = new DisposeScope();
        var a = Tensor.Ones([2, 3]);
        for (int i = 0; i < 100; i++)
            Assert.ThrowsExactly<TorchException>(() => a.MatMul(a));
        Assert.AreEqual(6.0, a.Sum().Item());
    }
}
