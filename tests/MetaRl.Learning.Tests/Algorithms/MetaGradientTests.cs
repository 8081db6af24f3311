using MetaRl.Learning.Algorithms.Meta;
using MetaRl.Learning.Algorithms.Policies;
using MetaRl.Learning.Algorithms.Sampling;
using MetaRl.Learning.Nets;
using MetaRl.Learning.Tests.Nets;
using static TorchSharp.torch;

namespace MetaRl.Learning.Tests.Algorithms;

[TestClass]
public sealed class MetaGradientTests
{
    private static StepTensors Steps(Generator g, int count, int obs, int act, bool discrete = false)
    {
        var o = randn([count, obs], dtype: ScalarType.Float64, generator: g);
        var a = discrete ? randint(0, act, [count, 1], generator: g).to_type(ScalarType.Float64) : randn([count, act], dtype: ScalarType.Float64, generator: g);
        var adv = randn([count], dtype: ScalarType.Float64, generator: g);
        return new StepTensors(o, a, adv);
    }

    [TestMethod]
    public void Maml_meta_gradient_through_the_inner_policy_gradient_step_matches_finite_differences()
    {
        var g = new Generator(5);
        using var policy = new GaussianMlpPolicy(2, 1, [3], g);
        using var pre = Steps(g, 6, 2, 1);
        using var post = Steps(g, 5, 2, 1);
        var oldLogp = randn([5], dtype: ScalarType.Float64, generator: g) * 0.1 - 1.0;
        var shapes = policy.Parameters.Select(p => new GradInput(p.shape, Domain.Unit)).ToList();
        GradCheck.Verify(theta => Maml.TaskObjective(policy, theta, pre, post, oldLogp, 0.3, 0, differentiable: true),
            shapes, differentiableEvaluation: true, tolerance: 1e-5);
    }

    [TestMethod]
    public void Categorical_policy_meta_gradient_matches_finite_differences()
    {
        var g = new Generator(6);
        using var policy = new CategoricalMlpPolicy(3, 4, [4], g);
        using var pre = Steps(g, 6, 3, 4, discrete: true);
        using var post = Steps(g, 6, 3, 4, discrete: true);
        var oldLogp = full([6], -1.4, dtype: ScalarType.Float64);
        var shapes = policy.Parameters.Select(p => new GradInput(p.shape, Domain.Unit)).ToList();
        GradCheck.Verify(theta => Maml.TaskObjective(policy, theta, pre, post, oldLogp, 0.5, 0, differentiable: true),
            shapes, differentiableEvaluation: true);
    }

    [TestMethod]
    public void The_meta_gradient_differs_from_its_first_order_approximation()
    {
        var g = new Generator(7);
        using var policy = new GaussianMlpPolicy(2, 1, [3], g);
        using var pre = Steps(g, 6, 2, 1);
        using var post = Steps(g, 5, 2, 1);
        using var scope = NewDisposeScope();
        var oldLogp = full([5], -1.0, dtype: ScalarType.Float64);
        var theta = policy.Parameters.Select(p => p.to_type(ScalarType.Float64).detach().requires_grad_(true)).ToList();
        var second = Checked.Grad(Maml.TaskObjective(policy, theta, pre, post, oldLogp, 0.3, 0, differentiable: true), theta);
        // First-order MAML: the gradient at θ' taken as if dθ'/dθ were the identity.
        var adapted = PolicyGradient.Adapt(policy, theta, pre, 0.3, createGraph: false).Select(t => t.requires_grad_(true)).ToList();
        var dist = policy.Distribution(post.Observations, adapted);
        var surrogate = ((dist.LogProb(post.Actions) - oldLogp).exp() * post.Advantages).mean().neg();
        var first = Checked.Grad(surrogate, adapted);
        double diff = second.Zip(first, (a, b) => (a - b).abs().max().item<double>()).Max();
        Assert.IsTrue(diff > 1e-4, $"second- and first-order meta-gradients differ by only {diff}");
    }

    [TestMethod]
    public void E_maml_adds_minus_credit_times_the_mean_pre_update_log_probability()
    {
        var g = new Generator(8);
        using var policy = new GaussianMlpPolicy(2, 1, [3], g);
        using var pre = Steps(g, 6, 2, 1);
        using var post = Steps(g, 5, 2, 1);
        using var scope = NewDisposeScope();
        var oldLogp = full([5], -1.0, dtype: ScalarType.Float64);
        var theta = policy.Parameters.Select(p => p.to_type(ScalarType.Float64).detach().requires_grad_(true)).ToList();
        var maml = Maml.TaskObjective(policy, theta, pre, post, oldLogp, 0.3, 0, differentiable: true);
        var emaml = Maml.TaskObjective(policy, theta, pre, post, oldLogp, 0.3, 0.8, differentiable: true);
        var preLogp = PolicyGradient.LogProbs(policy, theta, pre).mean();
        Assert.AreEqual(maml.item<double>() - 0.8 * preLogp.item<double>(), emaml.item<double>(), 1e-12, "the extra term is present");

        // Sign: for a task whose post-update return was above the batch average (credit > 0), a
        // descent step on the E-MAML term alone makes the pre-update actions more likely.
        var extra = emaml - maml;
        var grads = Checked.Grad(extra, theta);
        var stepped = theta.Zip(grads, (t, gr) => t - 0.01 * gr).ToList();
        Assert.IsTrue(PolicyGradient.LogProbs(policy, stepped, pre).mean().item<double>() > preLogp.item<double>());
    }

    [TestMethod]
    public void E_maml_credit_is_the_post_update_return_normalised_across_the_batch()
    {
        var r = Maml.NormalizedAcrossBatch([1.0, 2.0, 3.0]);
        Assert.AreEqual(0.0, r.Sum(), 1e-12);
        Assert.AreEqual(-Math.Sqrt(1.5), r[0], 1e-6);
        Assert.IsTrue(r[2] > 0);
    }

    [TestMethod]
    public void Trpo_step_improves_the_loss_within_the_kl_bound()
    {
        var g = new Generator(9);
        using var policy = new GaussianMlpPolicy(3, 2, [8], g);
        using var data = Steps(g, 64, 3, 2);
        using var scope = NewDisposeScope();
        var theta = policy.Parameters;
        var obs = data.Observations.to_type(ScalarType.Float32);
        var act = data.Actions.to_type(ScalarType.Float32);
        var adv = data.Advantages.to_type(ScalarType.Float32);
        var old = PolicyGradient.Detached(theta);
        Tensor OldLogp() => policy.Distribution(obs, old).LogProb(act).detach();
        var oldLogp = OldLogp();
        Tensor Loss(bool _) => ((policy.Distribution(obs, theta).LogProb(act) - oldLogp).exp() * adv).mean().neg();
        Tensor Kl(bool _) => policy.Distribution(obs, old).KlDivergence(policy.Distribution(obs, theta)).mean();
        foreach (var maxKl in new[] { 0.01, 0.001 })
        {
            var r = Trpo.Step(theta, Loss, Kl, new TrpoOptions(MaxKl: maxKl));
            Assert.IsTrue(r.Accepted, $"step at δ = {maxKl} accepted");
            Assert.IsTrue(r.LossAfter < r.LossBefore);
            Assert.IsTrue(r.Kl <= maxKl && r.Kl > 0.05 * maxKl, $"KL {r.Kl} within (and near) δ = {maxKl}");
            Assert.AreEqual(r.Kl, Kl(false).item<float>(), 1e-6, "the parameters are left at the accepted step");
            old = PolicyGradient.Detached(theta);
            oldLogp = OldLogp();
        }
    }

    [TestMethod]
    public void Conjugate_gradient_solves_a_positive_definite_system()
    {
        using var scope = NewDisposeScope();
        var a = tensor(new[] { 4.0, 1, 0, 1, 3, 1, 0, 1, 2 }, [3, 3]);
        var b = tensor(new[] { 1.0, 2, 3 });
        var x = Trpo.ConjugateGradient(v => Checked.MatMul(a, v), b, 10);
        var residual = (Checked.MatMul(a, x) - b).abs().max().item<double>();
        Assert.IsTrue(residual < 1e-9, $"residual {residual}");
    }
}
