using MetaRl.Learning.Common;
using MetaRl.Learning.Nets;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace MetaRl.Learning.Tests.Nets;

/// <summary>What a checkpoint holds of TorchSharp's state — tensors, random streams, optimiser moments — and that it continues exactly.</summary>
[TestClass]
public sealed class StateTests
{
    [TestMethod]
    public void Archive_keeps_dtypes_shapes_values_and_order()
    {
        var archive = new TensorArchive();
        using (var scope = NewDisposeScope())
        {
            archive.Add("f32", tensor(new[] { 1.5f, -2.25f, 3f, 4f, 5f, 6f }, [2, 3]));
            archive.Add("f64", tensor(new[] { Math.PI }, [1]));
            archive.Add("i64", tensor(new[] { 7L, -8L }));
            archive.Add("i32", tensor(new[] { 1, 2, 3 }));
            archive.Add("bool", tensor(new[] { true, false }));
            archive.Add("empty", zeros(0, 4));
        }
        archive.AddInt64("step", 42);
        archive.AddFloat64("alpha", 0.05);
        archive.AddBytes("rng", [1, 2, 3]);
        var back = TensorArchive.FromBytes(archive.ToBytes());
        CollectionAssert.AreEqual(archive.Names.ToArray(), back.Names.ToArray());
        using (var scope = NewDisposeScope())
        {
            var f32 = back.ToTensor("f32");
            Assert.AreEqual(ScalarType.Float32, f32.dtype);
            CollectionAssert.AreEqual(new long[] { 2, 3 }, f32.shape);
            CollectionAssert.AreEqual(new[] { 1.5f, -2.25f, 3f, 4f, 5f, 6f }, f32.data<float>().ToArray());
            Assert.AreEqual(Math.PI, back.ToTensor("f64").item<double>());
            CollectionAssert.AreEqual(new[] { 7L, -8L }, back.ToTensor("i64").data<long>().ToArray());
            CollectionAssert.AreEqual(new[] { 1, 2, 3 }, back.ToTensor("i32").data<int>().ToArray());
            CollectionAssert.AreEqual(new[] { true, false }, back.ToTensor("bool").data<bool>().ToArray());
            CollectionAssert.AreEqual(new long[] { 0, 4 }, back.ToTensor("empty").shape);
        }
        Assert.AreEqual(42, back.GetInt64("step"));
        Assert.AreEqual(0.05, back.GetFloat64("alpha"));
        CollectionAssert.AreEqual(new byte[] { 1, 2, 3 }, back.GetBytes("rng"));
    }

    [TestMethod]
    public void A_damaged_archive_is_refused_with_the_reason()
    {
        var archive = new TensorArchive();
        archive.AddBytes("x", [1, 2, 3, 4]);
        var bytes = archive.ToBytes();
        StringAssert.Contains(Assert.ThrowsExactly<InvalidDataException>(() => TensorArchive.FromBytes(bytes.AsSpan(0, bytes.Length - 2))).Message, "truncated");
        var bad = bytes.ToArray();
        bad[0] = (byte)'X';
        StringAssert.Contains(Assert.ThrowsExactly<InvalidDataException>(() => TensorArchive.FromBytes(bad)).Message, "magic");
        StringAssert.Contains(Assert.ThrowsExactly<InvalidDataException>(() => TensorArchive.FromBytes([.. bytes, 0])).Message, "trailing");
    }

    [TestMethod]
    public void A_restored_generator_continues_the_stream_exactly()
    {
        using var scope = NewDisposeScope();
        var g = new Generator(123);
        _ = randn(17, generator: g);
        var state = Checked.GetState(g);
        var expected = randn(64, generator: g).data<float>().ToArray();
        var restored = new Generator(999);
        Checked.SetState(restored, state);
        CollectionAssert.AreEqual(expected, randn(64, generator: restored).data<float>().ToArray());
    }

    [TestMethod]
    public void Adam_saved_mid_training_and_restored_into_a_fresh_optimiser_continues_bit_for_bit()
    {
        using var scope = NewDisposeScope();
        var g = new Generator(5);
        var x = randn([32, 4], generator: g);
        var y = randn([32, 2], generator: g);
        void Steps(Mlp net, Adam adam, int n)
        {
            for (int i = 0; i < n; i++)
            {
                using var step = NewDisposeScope();
                adam.zero_grad();
                nn.functional.mse_loss(net.call(x), y).backward();
                adam.step();
            }
        }

        using var uninterrupted = new Mlp([4, 16, 2], Activation.Tanh, new Generator(1));
        using var adamA = optim.Adam(uninterrupted.Parameters.Cast<Parameter>(), 1e-2);
        Steps(uninterrupted, adamA, 10);

        using var first = new Mlp([4, 16, 2], Activation.Tanh, new Generator(1));
        using var adamB = optim.Adam(first.Parameters.Cast<Parameter>(), 1e-2);
        Steps(first, adamB, 4);
        var parameters = first.Parameters.Select(p => p.data<float>().ToArray()).ToList();
        var moments = OptimizerBytes.Save(adamB);

        using var resumed = new Mlp([4, 16, 2], Activation.Tanh, new Generator(77));
        using var adamC = optim.Adam(resumed.Parameters.Cast<Parameter>(), 1e-2);
        using (no_grad())
            for (int i = 0; i < parameters.Count; i++) resumed.Parameters[i].copy_(tensor(parameters[i], resumed.Parameters[i].shape));
        OptimizerBytes.Load(adamC, moments);
        Steps(resumed, adamC, 6);

        for (int i = 0; i < parameters.Count; i++)
            CollectionAssert.AreEqual(uninterrupted.Parameters[i].data<float>().ToArray(), resumed.Parameters[i].data<float>().ToArray(), $"parameter {i}");
    }

    [TestMethod]
    public void Optimiser_state_that_does_not_fit_is_refused()
    {
        using var net = new Mlp([4, 16, 2], Activation.Tanh, new Generator(1));
        using var adam = optim.Adam(net.Parameters.Cast<Parameter>(), 1e-2);
        var bytes = OptimizerBytes.Save(adam);
        Assert.ThrowsExactly<InvalidDataException>(() => OptimizerBytes.Load(adam, bytes[..(bytes.Length / 2)]));
        Assert.ThrowsExactly<InvalidDataException>(() => OptimizerBytes.Load(adam, [.. bytes, 1, 2, 3]));
    }
}
