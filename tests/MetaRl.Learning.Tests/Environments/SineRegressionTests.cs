using MetaRl.Learning.Common;
using MetaRl.Learning.Environments;
using MetaRl.Learning.Environments.Supervised;

namespace MetaRl.Learning.Tests.Environments;

[TestClass]
public sealed class SineRegressionTests
{
    private static readonly SineRegression Family = new();

    [TestMethod]
    public void Is_registered_as_a_supervised_family_with_scalar_inputs_and_targets()
    {
        var family = TaskFamilies.Create("Sine");
        Assert.IsInstanceOfType<ISupervisedTaskFamily>(family);
        Assert.AreEqual(1, ((ISupervisedTaskFamily)family).InputSize);
        Assert.AreEqual(1, ((ISupervisedTaskFamily)family).OutputSize);
        CollectionAssert.AreEqual(new[] { "amplitude", "phase", "frequency" }, family.Latents.Select(l => l.Name).ToArray());
        Assert.IsTrue(family.Latents.All(l => l.Kind == LatentKind.UnitInterval));
        var e = Assert.ThrowsExactly<ArgumentException>(() => TaskFamilies.CreateRl("Sine"));
        StringAssert.Contains(e.Message, "supervised");
    }

    [TestMethod]
    public void Latents_map_linearly_onto_the_parameter_ranges()
    {
        CollectionAssert.AreEqual(new[] { 0.1, 0.0, 0.3 }, Family.ToParameters([0, 0, 0]));
        var top = Family.ToParameters([1, 1, 1]);
        Assert.AreEqual(5, top[0], 1e-12);
        Assert.AreEqual(2 * Math.PI, top[1], 1e-12);
        Assert.AreEqual(3, top[2], 1e-12);
        var middle = Family.TaskAt([0.5, 0.25, 0.1]);
        Assert.AreEqual(2.55, middle["amplitude"], 1e-12);
        Assert.AreEqual(Math.PI / 2, middle["phase"], 1e-12);
        Assert.AreEqual(0.57, middle["frequency"], 1e-12);
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => Family.ToParameters([0.5, 1.2, 0.5]));
        Assert.ThrowsExactly<ArgumentException>(() => Family.ToParameters([0.5, 0.5]));
    }

    [TestMethod]
    public void Tasks_from_the_original_distribution_have_the_range_midpoints_as_means()
    {
        Assert.AreEqual(2.55, FamilyHarness.MeanParameter(Family, "amplitude"), 0.05);
        Assert.AreEqual(Math.PI, FamilyHarness.MeanParameter(Family, "phase"), 0.06);
        Assert.AreEqual(1.65, FamilyHarness.MeanParameter(Family, "frequency"), 0.03);
    }

    [TestMethod]
    public void Targets_are_amplitude_times_sine_of_frequency_x_plus_phase()
    {
        var task = Family.TaskAt([0.3, 0.6, 0.8]);
        double amplitude = 0.1 + 4.9 * 0.3, phase = 2 * Math.PI * 0.6, frequency = 0.3 + 2.7 * 0.8;
        var inputs = new float[200];
        var targets = new float[200];
        Family.SampleBatch(task, 200, new RandomStream(1), inputs, targets);
        for (int i = 0; i < inputs.Length; i++)
        {
            Assert.AreEqual(amplitude * Math.Sin(frequency * inputs[i] + phase), targets[i], 1e-5, $"x = {inputs[i]}");
            Assert.AreEqual(SineRegression.Evaluate(task, inputs[i]), targets[i], 1e-5);
        }
        Assert.IsTrue(targets.Any(t => Math.Abs(t) > 0.5 * amplitude), "targets are not all near zero");
    }

    [TestMethod]
    public void Inputs_are_spread_uniformly_over_minus_five_to_five()
    {
        var (inputs, targets) = Family.SampleBatch(Family.TaskAt([0.5, 0.5, 0.5]), 4000, new RandomStream(2));
        Assert.HasCount(4000, inputs);
        Assert.HasCount(4000, targets);
        Assert.IsTrue(inputs.All(x => x >= -5 && x <= 5));
        Assert.IsLessThan(-4.95f, inputs.Min());
        Assert.IsGreaterThan(4.95f, inputs.Max());
        Assert.AreEqual(0, inputs.Average(), 0.15);
        Assert.AreEqual(0.5, inputs.Count(x => x > 2.5) / 4000.0 * 2, 0.06, "a quarter of the inputs lie above 2.5");
    }

    [TestMethod]
    public void The_same_stream_gives_the_same_batch_through_either_overload()
    {
        var task = Family.TaskAt([0.9, 0.1, 0.4]);
        var (inputs, targets) = Family.SampleBatch(task, 16, new RandomStream(5));
        var spanInputs = new float[16];
        var spanTargets = new float[16];
        Family.SampleBatch(task, 16, new RandomStream(5), spanInputs, spanTargets);
        CollectionAssert.AreEqual(inputs, spanInputs);
        CollectionAssert.AreEqual(targets, spanTargets);
        var (other, _) = Family.SampleBatch(task, 16, new RandomStream(6));
        CollectionAssert.AreNotEqual(inputs, other);
    }

    [TestMethod]
    public void Buffers_of_the_wrong_size_are_rejected()
    {
        var task = Family.TaskAt([0.5, 0.5, 0.5]);
        Assert.ThrowsExactly<ArgumentException>(() => Family.SampleBatch(task, 4, new RandomStream(1), new float[3], new float[4]));
        Assert.ThrowsExactly<ArgumentException>(() => Family.SampleBatch(task, 4, new RandomStream(1), new float[4], new float[5]));
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => Family.SampleBatch(task, -1, new RandomStream(1)));
    }
}
