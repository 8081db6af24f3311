using MetaRl.Learning.Common;
using MetaRl.Learning.Environments;
using MetaRl.Learning.Nets;
using static TorchSharp.torch;

namespace MetaRl.Learning.Algorithms.Mql;

/// <summary>What adapting to one new task found and did (kept as the propensity grain's diagnostics).</summary>
public sealed record AdaptationDiagnostics(
    MetaTask Task,
    int NewTaskSamples,
    int ReplaySamples,
    double TrainingAccuracy,
    double EffectiveSampleSize,
    double Lambda,
    double BetaMean,
    double BetaMedian,
    double BetaMax,
    double BetaClippedFraction,
    double PreReturn,
    double PostReturn,
    PropensityFit Fit);

/// <summary>
/// MQL's adaptation to a new task (Fakoor et al. 2020, §3; settings of the authors' HalfCheetah-Vel
/// run): collect new-task data with the meta-trained actor and exploration noise; fit a logistic
/// propensity classifier between the new task's context features (the meta-trained actor's context
/// GRU output) and meta-training replay samples; β = the clipped odds (0 below a floor), ESS, λ = 1 − ESS;
/// reset Adam; phase 1: TD3 steps on the new task's data; phase 2: TD3 steps on fresh meta-training
/// replay batches, each sample's losses weighted by its β, with λ‖θ − θ_meta‖². Works on a copy of
/// the meta-trained networks. The returns before and after are of the same episode start (one
/// deterministic episode each, the same seed), so that their difference is adaptation's alone.
/// </summary>
public static class MqlAdaptation
{
    public static (Td3Context Adapted, AdaptationDiagnostics Diagnostics) Adapt(
        Td3Context meta, IRlTaskFamily family, MetaTask task, IReadOnlyList<TaskReplay> replays, MqlOptions options, ulong seed)
    {
        var adapted = Clone(meta, family, options, RandomStream.FromKeys(seed, 1).NextUInt64());
        try
        {
            var rng = RandomStream.FromKeys(seed, 2);
            using var explore = new Generator(RandomStream.FromKeys(seed, 3).NextUInt64());
            var rollout = new ContextRollout(family, options.History, options.Threads);
            ulong evaluationSeed = RandomStream.FromKeys(seed, 5).NextUInt64();
            double preReturn = rollout.Run([task], [meta.Actor], RolloutMode.Deterministic, 0, null, null, evaluationSeed).Returns[0];

            // New-task data: whole episodes with exploration until the step budget is reached.
            var local = new TaskReplay(adapted.ObservationSize, adapted.ActionSize, options.SegmentSize,
                Math.Max(2, (options.AdaptationSteps + family.Horizon) / options.SegmentSize + 2));
            for (ulong episode = 0; local.Count < options.AdaptationSteps; episode++)
                rollout.Run([task], [adapted.Actor], RolloutMode.Explore, options.ExplorationNoise, explore, [local], RandomStream.FromKeys(seed, 4, episode).NextUInt64());

            var withData = replays.Where(r => r.Count > 0).ToList();
            if (withData.Count == 0)
                throw new NotSupportedException("MQL's adaptation needs the run's meta-training replay, and this learner holds none (a model file keeps parameters only); the run's own evaluation has it — see its result");
            (TaskReplay, long) DrawReplay()
            {
                var r = withData[rng.NextInt(withData.Count)];
                return (r, r.First + (long)(rng.NextDouble() * r.Count));
            }
            var replayPicks = Enumerable.Range(0, options.PropensityReplaySamples).Select(_ => DrawReplay()).ToList();
            var newPicks = Enumerable.Range(0, (int)local.Count).Select(i => (local, local.First + i)).ToList();

            var fit = PropensityEstimator.Fit(Features(meta, newPicks, options.History), Features(meta, replayPicks, options.History),
                options.PropensityC, options.OddsClip, oddsFloor: options.OddsFloor);

            adapted.ResetOptimizers();
            adapted.SetAnchor(fit.Lambda); // θ_meta
            adapted.ProximalWeight = 0;    // phase 1 trains on the new task's own data without the proximal term
            int batch = options.BatchSize;
            for (int s = 0; s < options.AdaptationPhase1Steps; s++)
            {
                using var scope = NewDisposeScope();
                var picks = Enumerable.Range(0, Math.Min(batch, newPicks.Count)).Select(_ => newPicks[rng.NextInt(newPicks.Count)]).ToList();
                adapted.Update(ReplayBatch.Build(picks, options.History));
            }
            adapted.ProximalWeight = fit.Lambda;
            int replayBatch = batch * options.AdaptationBatchMultiplier;
            for (int s = 0; s < options.AdaptationPhase2Steps; s++)
            {
                using var scope = NewDisposeScope();
                var picks = Enumerable.Range(0, replayBatch).Select(_ => DrawReplay()).ToList();
                // β of each fresh sample from the classifier, on the meta-trained actor's features (those it was fitted on).
                var beta = Features(meta, picks, options.History).Select(x => (float)fit.Odds(x, options.OddsClip, options.OddsFloor)).ToList();
                if (beta.All(b => b == 0)) continue; // nothing in this batch looks like the new task
                adapted.Update(ReplayBatch.Build(picks, options.History, beta));
            }
            adapted.SetAnchor(0);

            var post = rollout.Run([task], [adapted.Actor], RolloutMode.Deterministic, 0, null, null, evaluationSeed);
            var sorted = fit.ReplayOdds.OrderBy(b => b).ToArray();
            var diagnostics = new AdaptationDiagnostics(task, newPicks.Count, replayPicks.Count, fit.TrainingAccuracy, fit.EffectiveSampleSize, fit.Lambda,
                sorted.Average(), sorted[sorted.Length / 2], sorted[^1], sorted.Count(b => b >= options.OddsClip) / (double)sorted.Length, preReturn, post.Returns[0],
                fit with { ReplayOdds = [] });
            return (adapted, diagnostics);
        }
        catch
        {
            adapted.Dispose();
            throw;
        }
    }

    /// <summary>The actor's context embedding of each transition's starting state, as feature vectors.</summary>
    private static List<double[]> Features(Td3Context td3, IReadOnlyList<(TaskReplay, long)> picks, int history)
    {
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var result = new List<double[]>(picks.Count);
        for (int start = 0; start < picks.Count; start += 512)
        {
            var chunk = picks.Skip(start).Take(512).ToList();
            var features = td3.Actor.Context(ReplayBatch.Contexts(chunk, history)).to_type(ScalarType.Float64).contiguous();
            var values = features.data<double>().ToArray();
            int width = (int)features.shape[1];
            for (int i = 0; i < chunk.Count; i++) result.Add(values.AsSpan(i * width, width).ToArray());
        }
        return result;
    }

    /// <summary>A copy of <paramref name="source"/>'s networks, optimiser state and counters.</summary>
    public static Td3Context Clone(Td3Context source, IRlTaskFamily family, MqlOptions options, ulong noiseSeed)
    {
        var box = (BoxSpace)family.ActionSpace;
        var copy = new Td3Context(source.ObservationSize, source.ActionSize, box.High.Max(), options, new Generator(0), noiseSeed);
        var archive = new TensorArchive();
        source.Save(archive, "");
        var noise = Checked.GetState(copy.Noise);
        copy.Load(archive, "");
        Checked.SetState(copy.Noise, noise);
        return copy;
    }
}
