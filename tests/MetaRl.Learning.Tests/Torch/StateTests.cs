using MetaRl.Learning.Torch;
using MetaRl.Learning.Torch.Nn;
using MetaRl.Learning.Torch.Serialization;

namespace MetaRl.Learning.Tests.Torch;

[TestClass]
public sealed class StateTests
{
    [TestMethod]
    public void State_dict_round_trips_through_bytes_into_a_differently_initialised_module()
    {
        using var g1 = new Generator(1);
        using var g2 = new Generator(2);
        using var a = new Mlp([3, 8, 2], Activation.Relu, g1);
        using var b = new Mlp([3, 8, 2], Activation.Relu, g2);
        var bytes = a.StateDict().ToBytes();
        var archive = TensorArchive.FromBytes(bytes);
        CollectionAssert.AreEqual(new[] { "layers.0.weight", "layers.0.bias", "layers.1.weight", "layers.1.bias" }, archive.Names.ToArray());
        b.LoadStateDict(archive);
        using var scope = new DisposeScope();
        var x = Tensor.RandN([5, 3], g1);
        CollectionAssert.AreEqual(a.Forward(x).ToFloatArray(), b.Forward(x).ToFloatArray());
    }

    [TestMethod]
    public void Loading_a_state_dict_of_another_shape_fails_and_changes_nothing()
    {
        using var g = new Generator(1);
        using var small = new Mlp([3, 4, 2], Activation.Relu, g);
        using var other = new Mlp([3, 5, 2], Activation.Relu, g);
        var before = other.Parameters().SelectMany(p => p.ToFloatArray()).ToArray();
        var e = Assert.ThrowsExactly<ArgumentException>(() => other.LoadStateDict(small.StateDict()));
        StringAssert.Contains(e.Message, "layers.0.weight");
        CollectionAssert.AreEqual(before, other.Parameters().SelectMany(p => p.ToFloatArray()).ToArray());
    }

    [TestMethod]
    public void Archive_keeps_dtypes_shapes_and_scalars()
    {
        var archive = new TensorArchive();
        using (var scope = new DisposeScope())
        {
            archive.Add("f64", Tensor.From([1.5, -2.25, 3.0, 4.0, 5.0, 6.0], [2, 3]));
            archive.Add("i64", Tensor.From([7L, -8L], [2]));
        }
        archive.AddInt64("step", 42);
        archive.AddFloat64("alpha", 0.05);
        archive.AddBytes("rng", [1, 2, 3]);
        var back = TensorArchive.FromBytes(archive.ToBytes());
        using var f = back.ToTensor("f64");
        Assert.AreEqual(ScalarType.Float64, f.DType);
        CollectionAssert.AreEqual(new long[] { 2, 3 }, f.Shape);
        CollectionAssert.AreEqual(new[] { 1.5, -2.25, 3.0, 4.0, 5.0, 6.0 }, f.ToDoubleArray());
        using var i = back.ToTensor("i64");
        CollectionAssert.AreEqual(new[] { 7L, -8L }, i.ToInt64Array());
        Assert.AreEqual(42, back.GetInt64("step"));
        Assert.AreEqual(0.05, back.GetFloat64("alpha"));
        CollectionAssert.AreEqual(new byte[] { 1, 2, 3 }, back.GetBytes("rng"));
    }

    [TestMethod]
    public void Truncated_or_foreign_archive_bytes_are_rejected_with_a_reason()
    {
        var archive = new TensorArchive();
        archive.AddInt64("step", 1);
        var bytes = archive.ToBytes();
        StringAssert.Contains(Assert.ThrowsExactly<InvalidDataException>(() => TensorArchive.FromBytes(bytes.AsSpan(0, bytes.Length - 3))).Message, "truncated");
        StringAssert.Contains(Assert.ThrowsExactly<InvalidDataException>(() => TensorArchive.FromBytes("PK\u0003\u0004junk"u8)).Message, "magic");
        var future = (byte[])bytes.Clone();
        future[4] = 9;
        StringAssert.Contains(Assert.ThrowsExactly<InvalidDataException>(() => TensorArchive.FromBytes(future)).Message, "version 9");
    }

    [TestMethod]
    public void Generator_state_round_trip_reproduces_the_same_samples()
    {
        using var g = new Generator(123);
        using var warm = Tensor.RandN([17], g); // move the stream (and the cached normal) somewhere
        var state = g.GetState();
        float[] first, second;
        using (var scope = new DisposeScope())
        {
            first = Tensor.Cat([Tensor.RandN([5], g), Tensor.Rand([4], g), Tensor.RandInt(0, 100, [3], g).To(ScalarType.Float32)]).ToFloatArray();
        }
        using var other = new Generator(999);
        other.SetState(state);
        using (var scope = new DisposeScope())
        {
            second = Tensor.Cat([Tensor.RandN([5], other), Tensor.Rand([4], other), Tensor.RandInt(0, 100, [3], other).To(ScalarType.Float32)]).ToFloatArray();
        }
        CollectionAssert.AreEqual(first, second);
    }

    [TestMethod]
    public void Same_seed_gives_the_same_stream_and_different_seeds_differ()
    {
        using var a = new Generator(7);
        using var b = new Generator(7);
        using var c = new Generator(8);
        using var scope = new DisposeScope();
        var xa = Tensor.RandN([8], a).ToFloatArray();
        CollectionAssert.AreEqual(xa, Tensor.RandN([8], b).ToFloatArray());
        CollectionAssert.AreNotEqual(xa, Tensor.RandN([8], c).ToFloatArray());
    }

    [TestMethod]
    public void Malformed_generator_state_throws_and_keeps_the_old_state()
    {
        using var g = new Generator(5);
        var state = g.GetState();
        Assert.ThrowsExactly<TorchException>(() => g.SetState(new byte[7]));
        CollectionAssert.AreEqual(state, g.GetState());
    }

    [TestMethod]
    public void Parameter_vector_flattens_and_unflattens_in_parameter_order()
    {
        using var g = new Generator(1);
        using var net = new Mlp([2, 3, 1], Activation.Tanh, g);
        using var scope = new DisposeScope();
        var parameters = net.Parameters();
        var flat = ParameterVector.Flatten(parameters);
        Assert.AreEqual(net.ParameterElementCount, flat.NumElements);
        var doubled = flat * 2;
        ParameterVector.Assign(doubled, parameters);
        CollectionAssert.AreEqual(doubled.ToFloatArray(), ParameterVector.Flatten(net.Parameters()).ToFloatArray());
        var parts = ParameterVector.Unflatten(doubled, parameters);
        for (int i = 0; i < parts.Count; i++) CollectionAssert.AreEqual(parameters[i].Shape, parts[i].Shape);
    }
}
