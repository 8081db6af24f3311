using System.Text.Json;
using MetaRl.Learning.Algorithms.Meta;
using MetaRl.Learning.Algorithms.Supervised;
using MetaRl.Learning.Environments;
using MetaRl.Learning.Robust.Cem;
using MetaRl.Learning.Common;
using MetaRl.Learning.Training;

namespace MetaRl.Learning.Tests.Algorithms;

/// <summary>Save → restore → continue gives exactly what an uninterrupted run gives.</summary>
[TestClass]
public sealed class RunResumeTests
{
    private static RunSpec SmallRl(string family, string learner, string method) => new()
    {
        Family = family,
        Learner = learner,
        Method = method,
        Alpha = 0.5,
        Seed = 3,
        Iterations = 4,
        MetaBatch = 4,
        Rl = new RlLearnerOptions { EpisodesPerTask = 3, Hidden = [8] },
        ProMp = new ProMpOptions(OuterSteps: 2),
        Mql = TinyMql,
        Rl2 = new Learning.Algorithms.Recurrent.Rl2Options { Width = 16, TrialsPerTask = 2, Epochs = 2 },
        Cem = new CemSettings { BatchSize = 8, Alpha = 0.5, OriginalFraction = 0.25 },
        Evaluation = new EvaluationSpec { TestTasks = 3, ValidationTasks = 3, ValidateEvery = 2 },
    };

    /// <summary>MQL small enough for a unit test: tiny networks, a short burn-in, few training tasks, segments of 64.</summary>
    public static readonly Learning.Algorithms.Mql.MqlOptions TinyMql = new()
    {
        Hidden = [16], BatchSize = 32, BurnInSteps = 150, UpdatesPerStep = 0.1, History = 4, ContextWidth = 4, TrainingTasks = 6,
        ReplayPerTask = 256, SegmentSize = 64, AdaptationSteps = 20, PropensityReplaySamples = 64, AdaptationPhase1Steps = 3, AdaptationPhase2Steps = 5,
    };

    private static RunSpec SmallSine(string learner, string method) => new()
    {
        Family = "Sine",
        Learner = learner,
        Method = method,
        Alpha = 0.2,
        Seed = 5,
        Iterations = 6,
        MetaBatch = 5,
        Supervised = new SupervisedOptions { Hidden = [16, 16], InnerSteps = 2 },
        Cem = new CemSettings { BatchSize = 10, Alpha = 0.2, OriginalFraction = 0.2 },
        Evaluation = new EvaluationSpec { TestTasks = 8, ValidationTasks = 8, ValidateEvery = 3 },
    };

    public static IEnumerable<object[]> Specs =>
    [
        [SmallSine(Learners.Maml, RobustMethods.Roml)],
        [SmallSine(Learners.Reptile, RobustMethods.CvarMl)],
        [SmallRl("Point-Robot", Learners.MamlTrpo, RobustMethods.Roml)],
        [SmallRl("Point-Robot", Learners.ProMp, RobustMethods.CvarMl)],
        [SmallRl("Khazad-Dum", Learners.EMamlTrpo, RobustMethods.Roml)],
        [SmallRl("Point-Robot", Learners.Reptile, RobustMethods.Baseline)],
        [SmallRl("Point-Robot", Learners.Mql, RobustMethods.Roml)],
        [SmallRl("HalfCheetah-Vel", Learners.Mql, RobustMethods.CvarMl)],
        [SmallRl("Krazy-World", Learners.Rl2, RobustMethods.Baseline)],
        [SmallRl("Point-Robot", Learners.ERl2, RobustMethods.Roml)],
    ];

    public static string SpecName(System.Reflection.MethodInfo _, object[] data)
    {
        var s = (RunSpec)data[0];
        return $"{s.Family} {s.Learner} {s.Method}";
    }

    private static string Line(IterationMetrics m) => JsonSerializer.Serialize(m);

    [TestMethod]
    [DynamicData(nameof(Specs), DynamicDataDisplayName = nameof(SpecName))]
    public void Interrupted_and_resumed_run_equals_an_uninterrupted_one(RunSpec spec)
    {
        var straightLines = new List<string>();
        byte[] straightParameters;
        RunResult straightResult;
        using (var run = new MetaTrainingRun(spec))
        {
            while (!run.Done) straightLines.Add(Line(run.Step()));
            straightParameters = run.Learner.SaveParameters();
            straightResult = run.Finish();
        }

        var resumedLines = new List<string>();
        byte[] saved;
        using (var first = new MetaTrainingRun(spec))
        {
            for (int i = 0; i < spec.Iterations / 2; i++) resumedLines.Add(Line(first.Step()));
            saved = first.SaveState().ToBytes();
        }
        using var second = new MetaTrainingRun(spec);
        second.LoadState(TensorArchive.FromBytes(saved));
        Assert.AreEqual(spec.Iterations / 2, second.Iteration);
        while (!second.Done) resumedLines.Add(Line(second.Step()));

        CollectionAssert.AreEqual(straightLines, resumedLines, "metric lines");
        CollectionAssert.AreEqual(straightParameters, second.Learner.SaveParameters(), "parameters");
        var resumedResult = second.Finish();
        Assert.AreEqual(straightResult.BestIteration, resumedResult.BestIteration);
        CollectionAssert.AreEqual(straightResult.Best.Scores, resumedResult.Best.Scores);
        CollectionAssert.AreEqual(straightResult.Final.Scores, resumedResult.Final.Scores);
    }

    /// <summary>
    /// A restored run saves exactly the bytes it was restored from (its pieces' included): what a resuming
    /// silo checks before it trains on, so that a restore that lost anything stops the run instead of
    /// letting it diverge silently.
    /// </summary>
    [TestMethod]
    [DynamicData(nameof(Specs), DynamicDataDisplayName = nameof(SpecName))]
    public void A_restored_run_saves_the_bytes_it_was_restored_from(RunSpec spec)
    {
        using var first = new MetaTrainingRun(spec);
        for (int i = 0; i < spec.Iterations / 2; i++) first.Step();
        bool apart = first.Pieces is not null;
        var pieces = first.Pieces?.Pieces().ToDictionary(p => p, p => first.Pieces.PieceBytes(p)) ?? [];
        var saved = first.SaveState(apart).ToBytes();
        using var second = new MetaTrainingRun(spec);
        second.LoadState(TensorArchive.FromBytes(saved), p => pieces[p]);
        CollectionAssert.AreEqual(saved, second.SaveState(apart).ToBytes());
    }

    [TestMethod]
    public void Same_spec_gives_the_same_run_and_another_seed_does_not()
    {
        var spec = SmallSine(Learners.Maml, RobustMethods.Baseline);
        static List<string> Lines(RunSpec s)
        {
            using var run = new MetaTrainingRun(s);
            var lines = new List<string>();
            while (!run.Done) lines.Add(Line(run.Step()));
            return lines;
        }
        CollectionAssert.AreEqual(Lines(spec), Lines(spec));
        CollectionAssert.AreNotEqual(Lines(spec), Lines(spec with { Seed = 6 }));
    }

    [TestMethod]
    public void Bad_specs_name_every_wrong_field()
    {
        var errors = new RunSpec { Family = "Nope", Method = "best", Alpha = 0, Iterations = 0 }.Validate();
        Assert.IsTrue(errors.Any(e => e.Contains("family 'Nope'") && e.Contains("HalfCheetah-Vel")));
        Assert.IsTrue(errors.Any(e => e.Contains("method 'best'") && e.Contains("cvar-ml")));
        Assert.IsTrue(errors.Any(e => e.Contains("alpha 0") && e.Contains("(0, 1]")));
        Assert.IsTrue(errors.Any(e => e.Contains("iterations 0")));
        var learner = new RunSpec { Family = "Sine", Learner = "promp" }.Validate();
        Assert.IsTrue(learner.Any(e => e.Contains("learner 'promp' is not available for Sine") && e.Contains("maml, reptile")));
        var cem = new RunSpec { Family = "Sine", Method = "roml", MetaBatch = 20, Cem = new CemSettings { BatchSize = 30 } }.Validate();
        Assert.IsTrue(cem.Any(e => e.Contains("cem.batchSize 30") && e.Contains("multiple of metaBatch")));
    }

    [TestMethod]
    public void Cvar_ml_learns_only_from_the_tail_of_each_batch()
    {
        var spec = SmallSine(Learners.Maml, RobustMethods.CvarMl) with { MetaBatch = 10, Alpha = 0.2 };
        using var run = new MetaTrainingRun(spec);
        var batch = TaskBatch.Uniform(Enumerable.Range(0, 10).Select(i => run.Family.TaskAt([0.1 * i, 0.5, 0.5])).ToList());
        var report = run.Learner.Iterate(batch, new CvarFilter(() => 0.2), 0);
        Assert.AreEqual(2, report.Weights.Count(w => w > 0));
        var tail = Enumerable.Range(0, 10).OrderBy(i => report.Scores[i]).Take(2).ToHashSet();
        for (int i = 0; i < 10; i++) Assert.AreEqual(tail.Contains(i) ? 5.0 : 0.0, report.Weights[i], 1e-12, $"task {i}");
    }

    [TestMethod]
    public void Roml_learner_trains_on_the_cem_distribution_unweighted_unless_asked_for_importance_weights()
    {
        var spec = SmallSine(Learners.Maml, RobustMethods.Roml) with { Cem = new CemSettings { BatchSize = 10, Alpha = 0.2, OriginalFraction = 0.2 } };
        using var run = new MetaTrainingRun(spec);
        for (int i = 0; i < 4; i++) run.Step(); // two CEM updates: φ has moved, so importance weights differ from 1
        var m = run.Step();
        Assert.IsTrue(m.Diagnostics.ContainsKey("meta_loss"));
        // Unweighted: the learner's weights are all one (the CEM keeps its own importance weights).
        var pending = run.Cem!.Pending ?? run.Cem.SampleBatch();
        Assert.IsTrue(pending.Any(s => Math.Abs(s.Weight - 1) > 1e-6), "the CEM's samples carry importance weights");
        using var weighted = new MetaTrainingRun(spec with { RomlLearnerWeights = "importance" });
        using var plain = new MetaTrainingRun(spec);
        IterationMetrics? a = null, b = null;
        for (int i = 0; i < 6; i++)
        {
            a = weighted.Step();
            b = plain.Step();
        }
        Assert.AreNotEqual(System.Text.Json.JsonSerializer.Serialize(a), System.Text.Json.JsonSerializer.Serialize(b), "the choice changes what the learner optimises");
        Assert.AreEqual(1, new RunSpec { RomlLearnerWeights = "sometimes" }.Validate().Count(e => e.Contains("romlLearnerWeights 'sometimes'")));
    }

    [TestMethod]
    public void Roml_feeds_the_cem_the_scores_of_each_batch()
    {
        var spec = SmallSine(Learners.Maml, RobustMethods.Roml);
        using var run = new MetaTrainingRun(spec);
        run.Step(); // first half of the CEM batch of 10
        Assert.AreEqual(0, run.Cem!.History.Count);
        var m = run.Step(); // second half: the CEM updates
        Assert.AreEqual(1, run.Cem.History.Count);
        var record = run.Cem.History[0];
        Assert.AreEqual(10, record.Scores.Length);
        Assert.AreEqual(2, record.FromOriginal.Count(f => f));
        Assert.IsNotNull(m.CemPhi);
    }
}
