using MetaRl.Learning.Algorithms.Meta;
using MetaRl.Learning.Algorithms.Sampling;
using MetaRl.Learning.Common;
using MetaRl.Learning.Environments;
using MetaRl.Learning.Environments.KhazadDum;
using static TorchSharp.torch;

namespace MetaRl.Learning.Evaluation;

/// <summary>How a policy crossed Khazad-Dum: which bridge, how often it fell, how often it arrived.</summary>
/// <param name="Episodes">Episodes observed.</param>
/// <param name="NarrowBridge">Episodes whose first position in the abyss rows was on the narrow bridge.</param>
/// <param name="WideBridge">Episodes whose first position there was on the wide bridge (the others stepped straight into the abyss or never got there).</param>
/// <param name="Falls">Episodes that fell into the abyss (seen in a later observation).</param>
/// <param name="Arrivals">Episodes that reached the goal.</param>
/// <param name="MeanReturn">Mean episode return.</param>
public sealed record KhazadDumBehaviour(int Episodes, int NarrowBridge, int WideBridge, int Falls, int Arrivals, double MeanReturn)
{
    public double FallRate => (double)Falls / Episodes;
    public double ArrivalRate => (double)Arrivals / Episodes;

    /// <summary>
    /// Runs the learner's adapted policy (one inner step on its own pre-update episodes, as in
    /// evaluation) on Khazad-Dum tasks of the given noise level and classifies each post-update
    /// episode by the bridge it headed for, whether it fell and whether it arrived.
    /// </summary>
    public static KhazadDumBehaviour Measure(RlMetaLearner learner, double noise, int tasks, ulong seed)
    {
        var family = (IRlTaskFamily)learner.Family;
        if (family is not KhazadDumFamily) throw new ArgumentException("the learner was not trained on Khazad-Dum");
        var taskList = Enumerable.Range(0, tasks).Select(_ => family.TaskAt([noise])).ToList();
        var sampler = new RolloutSampler(family, learner.Policy, learner.Options.Threads);
        using var scope = NewDisposeScope();
        using var actions = new Generator(RandomStream.FromKeys(seed, 1).NextUInt64());
        var theta = learner.Policy.Parameters;
        var pre = sampler.Sample(taskList, Enumerable.Repeat(theta, tasks).ToList(), learner.Options.EpisodesPerTask, RandomStream.FromKeys(seed, 2).NextUInt64(), actions);
        var adapted = pre.Select(b =>
        {
            using var data = new StepTensors(b, Advantages.Gae(b, learner.Options.Gamma, learner.Options.Lambda, learner.Options.NormalizeAdvantages));
            return PolicyGradient.Adapt(learner.Policy, theta, data, learner.Options.InnerLearningRate, createGraph: false, lowVarianceCurvature: learner is ProMp);
        }).ToList();
        var post = sampler.Sample(taskList, adapted, learner.Options.EpisodesPerTask, RandomStream.FromKeys(seed, 3).NextUInt64(), actions);
        int episodes = 0, narrow = 0, wide = 0, falls = 0, arrivals = 0;
        double returns = 0;
        foreach (var batch in post)
        {
            var r = batch.EpisodeReturns();
            for (int e = 0; e < batch.Episodes; e++)
            {
                episodes++;
                returns += r[e];
                bool entered = false, fell = false, arrived = false;
                for (int t = 0; t < batch.Lengths[e]; t++)
                {
                    // Observation: [x/11, y/9, steps/32]; the observation at step t is the position before it.
                    double x = batch.Observations[(e * batch.Horizon + t) * batch.ObservationSize] * KhazadDumMap.MaxX;
                    double y = batch.Observations[(e * batch.Horizon + t) * batch.ObservationSize + 1] * KhazadDumMap.MaxY;
                    if (!entered && KhazadDumMap.InAbyssRows(y))
                    {
                        entered = true;
                        if (KhazadDumMap.OnNarrowBridgeColumn(x)) narrow++;
                        else if (KhazadDumMap.OnWideBridgeColumn(x)) wide++;
                    }
                    if (KhazadDumMap.InAbyss(x, y)) fell = true;
                    // The step into the goal pays exactly +5/32 (it never starts on a noisy row).
                    if (Math.Abs(batch.Rewards[e * batch.Horizon + t] - 5.0 / 32) < 1e-6) arrived = true;
                }
                // (A fall on the very last step leaves no later observation and is not counted.)
                if (fell) falls++;
                if (arrived) arrivals++;
            }
        }
        return new KhazadDumBehaviour(episodes, narrow, wide, falls, arrivals, returns / episodes);
    }
}
