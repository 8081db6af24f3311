using MetaRl.Learning.Algorithms.Mql;
using static TorchSharp.torch;

namespace MetaRl.Learning.Tests.Algorithms.Mql;

[TestClass]
public sealed class Td3ContextTests
{
    private static readonly MqlOptions Small = new() { Hidden = [8], ContextWidth = 4, History = 3, Gamma = 0.9, TargetNoise = 0, PolicyDelay = 2, LearningRate = 1e-2 };

    private static Td3Context Create(MqlOptions? options = null) => new(2, 1, 1.0, options ?? Small, new Generator(3), 5);

    /// <summary>Four hand-built transitions: obs 2, action 1, context windows of 3 × 4 features.</summary>
    private static Td3Batch Batch(float[] rewards, float[] terminals, Tensor? weights = null)
    {
        var g = new Generator(11);
        int b = rewards.Length;
        return new Td3Batch(randn([b, 2], generator: g), rand([b, 1], generator: g) * 2 - 1, tensor(rewards), randn([b, 2], generator: g), tensor(terminals),
            randn([3, b, 4], generator: g), randn([3, b, 4], generator: g), weights);
    }

    [TestMethod]
    public void The_target_is_the_reward_plus_the_discounted_smaller_target_q_and_only_the_reward_at_a_terminal()
    {
        using var scope = NewDisposeScope();
        using var td3 = Create();
        var b = Batch([1f, -2f, 0.5f, 3f], [0f, 1f, 0f, 1f]);
        var y = td3.Target(b).data<float>().ToArray();
        using var _ = no_grad();
        var next = td3.ActorTarget.call(b.NextObservations, b.NextContext).clamp(-1, 1);
        var (q1, q2) = td3.CriticTarget.call(b.NextObservations, next, b.NextContext);
        var q = minimum(q1, q2).data<float>().ToArray();
        Assert.AreEqual(1f + 0.9f * q[0], y[0], 1e-5f);
        Assert.AreEqual(-2f, y[1], 0f, "terminal: no bootstrap");
        Assert.AreEqual(0.5f + 0.9f * q[2], y[2], 1e-5f);
        Assert.AreEqual(3f, y[3], 0f);
        // The smaller of the two: at least one of Q1, Q2 differs, and the target uses the minimum.
        Assert.IsTrue(q1.data<float>().ToArray().Zip(q2.data<float>().ToArray()).Any(p => p.First != p.Second));
    }

    [TestMethod]
    public void The_actor_step_takes_the_gradient_of_minus_q1_through_the_updated_critic_and_leaves_the_critic_trainable()
    {
        using var scope = NewDisposeScope();
        // Both do the same critic step first (delay 1 then also steps the actor; delay 2 does not).
        using var updated = Create(Small with { PolicyDelay = 1 });
        using var reference = Create(Small with { PolicyDelay = 2 });
        var b = Batch([1f, -2f, 0.5f, 3f], [0f, 1f, 0f, 0f]);
        Assert.IsTrue(updated.Update(b).ActorUpdated);
        Assert.IsFalse(reference.Update(b).ActorUpdated);
        // The actor's gradient with nothing frozen, on the reference's (identically) updated critic.
        reference.Actor.zero_grad();
        reference.Critic.Q1(b.Observations, reference.Actor.call(b.Observations, b.Context), b.Context).mean().neg().backward();
        foreach (var (frozen, plain) in updated.Actor.parameters().Zip(reference.Actor.parameters()))
            Assert.IsTrue(frozen.grad!.allclose(plain.grad!, rtol: 1e-5, atol: 1e-7), "the actor's gradient is that of −Q1");
        Assert.IsTrue(updated.Critic.parameters().All(p => p.requires_grad), "the critic is trainable again after the actor's step");
        Assert.IsTrue(reference.Critic.parameters().Any(p => p.grad is { } g && g.abs().sum().item<float>() > 0), "the unfrozen reference did put gradients on the critic");
    }

    [TestMethod]
    public void Target_policy_smoothing_is_clipped()
    {
        using var scope = NewDisposeScope();
        // Noise of scale 10⁶ clipped at 0: the same target as no noise at all.
        using var noisy = Create(Small with { TargetNoise = 1e6, TargetNoiseClip = 0 });
        using var plain = Create();
        var b = Batch([1f, 2f], [0f, 0f]);
        CollectionAssert.AreEqual(plain.Target(b).data<float>().ToArray(), noisy.Target(b).data<float>().ToArray());
        // Clipped at 0.5 the target stays within what actions π'(s') ± 0.5 can give, and varies with the draw.
        using var smoothed = Create(Small with { TargetNoise = 1e6, TargetNoiseClip = 0.5 });
        var t1 = smoothed.Target(b).data<float>().ToArray();
        var t2 = smoothed.Target(b).data<float>().ToArray();
        Assert.IsTrue(t1.All(float.IsFinite) && t2.All(float.IsFinite));
    }

    [TestMethod]
    public void Weights_of_one_give_exactly_the_plain_update()
    {
        using var scope = NewDisposeScope();
        using var plain = Create();
        using var weighted = Create();
        for (int i = 0; i < 4; i++)
        {
            plain.Update(Batch([1f, -1f, 2f], [0f, 0f, 1f]));
            weighted.Update(Batch([1f, -1f, 2f], [0f, 0f, 1f], ones(3)));
        }
        foreach (var (a, b) in plain.Actor.parameters().Concat(plain.Critic.parameters()).Zip(weighted.Actor.parameters().Concat(weighted.Critic.parameters())))
            CollectionAssert.AreEqual(a.data<float>().ToArray(), b.data<float>().ToArray());
    }

    [TestMethod]
    public void A_zero_weight_sample_does_not_move_the_critic()
    {
        using var scope = NewDisposeScope();
        using var full = Create();
        using var masked = Create();
        // masked sees two samples, the second weighted 0; full sees the first alone, weighted ½ (the mean over two).
        var two = Batch([1f, 5f], [0f, 0f], tensor(new[] { 1f, 0f }));
        var one = new Td3Batch(two.Observations[..1], two.Actions[..1], two.Rewards[..1], two.NextObservations[..1], two.Terminals[..1],
            two.Context[.., ..1], two.NextContext[.., ..1], tensor(new[] { 0.5f }));
        masked.Update(two);
        full.Update(one);
        foreach (var (a, b) in masked.Critic.parameters().Zip(full.Critic.parameters()))
            Assert.IsTrue(allclose(a, b, rtol: 1e-5, atol: 1e-7));
    }

    [TestMethod]
    public void The_actor_and_the_targets_move_every_policy_delay_updates()
    {
        using var scope = NewDisposeScope();
        using var td3 = Create();
        float[] Snapshot(TorchSharp.torch.nn.Module m) => m.parameters().SelectMany(p => p.data<float>().ToArray()).ToArray();
        var actor0 = Snapshot(td3.Actor);
        var target0 = Snapshot(td3.CriticTarget);
        var first = td3.Update(Batch([1f, 2f], [0f, 0f]));
        Assert.IsFalse(first.ActorUpdated);
        CollectionAssert.AreEqual(actor0, Snapshot(td3.Actor), "no actor step on the first update");
        CollectionAssert.AreEqual(target0, Snapshot(td3.CriticTarget));
        var second = td3.Update(Batch([1f, 2f], [0f, 0f]));
        Assert.IsTrue(second.ActorUpdated);
        CollectionAssert.AreNotEqual(actor0, Snapshot(td3.Actor));
        CollectionAssert.AreNotEqual(target0, Snapshot(td3.CriticTarget));
    }

    [TestMethod]
    public void The_proximal_term_keeps_the_parameters_nearer_the_anchor()
    {
        using var scope = NewDisposeScope();
        using var free = Create();
        using var held = Create();
        var start = held.Actor.parameters().Concat(held.Critic.parameters()).Select(p => p.detach().clone()).ToList();
        held.SetAnchor(100.0);
        for (int i = 0; i < 20; i++)
        {
            free.Update(Batch([5f, -5f], [0f, 0f]));
            held.Update(Batch([5f, -5f], [0f, 0f]));
        }
        double Distance(Td3Context t) => t.Actor.parameters().Concat(t.Critic.parameters()).Zip(start).Sum(p => (p.First - p.Second).square().sum().item<float>());
        Assert.IsTrue(Distance(held) < 0.5 * Distance(free), $"held {Distance(held)} vs free {Distance(free)}");
    }

    [TestMethod]
    public void A_zero_proximal_weight_keeps_the_anchor_but_updates_as_without_one_and_the_weight_then_holds_to_it()
    {
        using var scope = NewDisposeScope();
        using var free = Create();
        using var anchored = Create();
        var start = anchored.Critic.parameters().Select(p => p.detach().clone()).ToList();
        anchored.SetAnchor(100.0);
        anchored.ProximalWeight = 0; // MQL's phase 1
        for (int i = 0; i < 4; i++)
        {
            free.Update(Batch([5f, -5f], [0f, 0f]));
            anchored.Update(Batch([5f, -5f], [0f, 0f]));
        }
        foreach (var (a, b) in free.Actor.parameters().Concat(free.Critic.parameters()).Zip(anchored.Actor.parameters().Concat(anchored.Critic.parameters())))
            CollectionAssert.AreEqual(a.data<float>().ToArray(), b.data<float>().ToArray());

        // Phase 2: the weight back on pulls toward the anchor taken before phase 1, not toward where phase 1 ended.
        double ToStart(Td3Context t) => t.Critic.parameters().Zip(start).Sum(p => (p.First - p.Second).square().sum().item<float>());
        double before = ToStart(anchored);
        Assert.IsTrue(before > 0);
        anchored.ProximalWeight = 1e4;
        free.Update(Batch([5f, -5f], [0f, 0f]));
        anchored.Update(Batch([5f, -5f], [0f, 0f]));
        Assert.IsTrue(ToStart(anchored) < before && ToStart(anchored) < ToStart(free), $"anchored {ToStart(anchored)}, free {ToStart(free)}, before {before}");
        using var unanchored = Create();
        Assert.ThrowsExactly<InvalidOperationException>(() => unanchored.ProximalWeight = 1);
    }
}
