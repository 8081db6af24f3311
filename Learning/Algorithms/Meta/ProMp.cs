using MetaRl.Learning.Algorithms.Sampling;
using MetaRl.Learning.Environments;
using MetaRl.Learning.Common;
using MetaRl.Learning.Nets;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace MetaRl.Learning.Algorithms.Meta;

/// <summary>Settings of ProMP's outer step (the authors': clip 0.3, 5 Adam steps at 1e-3, KL target 0.01).</summary>
public sealed record ProMpOptions(double Clip = 0.3, int OuterSteps = 5, double LearningRate = 1e-3, double KlTarget = 0.01, double InitialKlPenalty = 0.01);

/// <summary>
/// ProMP (Rothfuss et al. 2019). The inner step uses the low-variance-curvature objective
/// −mean(exp(log π − ⊥log π)·A); the outer objective, optimised with a few Adam steps, is the
/// weighted clipped likelihood ratio of the adapted policies, −Σ w_i mean(min(r·A, clip(r, 1±ε)·A)),
/// plus η·KL(π_θold ‖ π_θ) of the pre-update policies on pre-update states. η adapts towards the
/// KL target: halved when the KL fell below target/1.5, doubled when above 1.5·target.
/// </summary>
public sealed class ProMp : RlMetaLearner
{
    private readonly Adam _adam;

    public ProMp(IRlTaskFamily family, RlLearnerOptions options, ProMpOptions outer, ulong seed) : base(family, options, seed)
    {
        Outer = outer;
        KlPenalty = outer.InitialKlPenalty;
        _adam = torch.optim.Adam(Policy.Parameters.Cast<Parameter>(), outer.LearningRate);
    }

    public override string Name => "promp";
    public ProMpOptions Outer { get; }

    /// <summary>η, the current coefficient of the inner-KL penalty.</summary>
    public double KlPenalty { get; private set; }

    protected override IReadOnlyList<Tensor> AdaptForSampling(StepTensors preData) =>
        PolicyGradient.Adapt(Policy, Policy.Parameters, preData, Options.InnerLearningRate, createGraph: false, lowVarianceCurvature: true);

    public override IterationReport Iterate(TaskBatch batch, ITaskFilter filter, int iteration)
    {
        using var scope = NewDisposeScope();
        int n = batch.Tasks.Count;
        var theta = Policy.Parameters;
        var round = SampleAndAdapt(batch, filter, iteration);
        var (preData, postData, scores, weights, oldLogp) = (round.PreData, round.PostData, round.Scores, round.Weights, round.OldLogProbs);
        var thetaOld = PolicyGradient.Detached(theta);

        Tensor InnerKl()
        {
            Tensor? total = null;
            for (int i = 0; i < n; i++)
            {
                var oldDist = Policy.Distribution(preData[i].Observations, thetaOld);
                var newDist = Policy.Distribution(preData[i].Observations, theta);
                var kl = oldDist.KlDivergence(newDist).mean() / n;
                total = total is null ? kl : total + kl;
            }
            return total!;
        }

        double surrogate = 0;
        for (int step = 0; step < Outer.OuterSteps; step++)
        {
            using var inner = NewDisposeScope();
            Tensor? objective = null;
            for (int i = 0; i < n; i++)
            {
                if (weights[i] == 0) continue;
                var adapted = PolicyGradient.Adapt(Policy, theta, preData[i], Options.InnerLearningRate, createGraph: true, lowVarianceCurvature: true);
                var ratio = (PolicyGradient.LogProbs(Policy, adapted, postData[i]) - oldLogp[i]).exp();
                var advantages = postData[i].Advantages;
                var clipped = ratio.clamp(1 - Outer.Clip, 1 + Outer.Clip) * advantages;
                var task = minimum(ratio * advantages, clipped).mean().neg() * (weights[i] / n);
                objective = objective is null ? task : objective + task;
            }
            var loss = (objective ?? zeros(1).sum()) + KlPenalty * InnerKl();
            if (step == 0) surrogate = loss.ToDouble();
            _adam.zero_grad();
            loss.backward();
            _adam.step();
        }

        double klAfter;
        using (var s = NewDisposeScope()) klAfter = InnerKl().ToDouble();
        if (klAfter < Outer.KlTarget / 1.5) KlPenalty /= 2;
        else if (klAfter > Outer.KlTarget * 1.5) KlPenalty *= 2;

        round.DisposeSteps();
        return new IterationReport(scores, round.PreScores, weights, round.Steps,
            Diagnostics(("surrogate_before", surrogate), ("inner_kl", klAfter), ("kl_penalty", KlPenalty), ("bad_physics_episodes", round.BadPhysicsEpisodes)));
    }

    protected override void SaveExtra(TensorArchive archive)
    {
        archive.AddFloat64("kl_penalty", KlPenalty);
        archive.AddBytes("adam", OptimizerBytes.Save(_adam));
    }

    protected override void LoadExtra(TensorArchive archive)
    {
        KlPenalty = archive.GetFloat64("kl_penalty");
        OptimizerBytes.Load(_adam, archive.GetBytes("adam"));
    }

    public override void Dispose()
    {
        _adam.Dispose();
        base.Dispose();
    }
}
