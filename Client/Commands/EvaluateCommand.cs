using System.CommandLine;
using System.Globalization;
using MetaRl.Learning.Algorithms.Meta;
using MetaRl.Learning.Environments;
using MetaRl.Learning.Evaluation;
using MetaRl.Learning.Robust;
using MetaRl.Learning.Training;

namespace MetaRl.Client.Commands;

/// <summary>
/// `metarl evaluate`: a saved model on fixed test tasks (mean and CVaR before and after adaptation),
/// against a uniform random policy; on Khazad-Dum also the bridge it takes and how often it falls
/// at a given noise level.
/// </summary>
public static class EvaluateCommand
{
    private static readonly Option<string> Model = new("--model") { Description = "A model file written by 'metarl train --save-model'", Required = true };
    private static readonly Option<string> Which = new("--which") { Description = "selected | final", DefaultValueFactory = _ => "selected" };
    private static readonly Option<int> Tasks = new("--test-tasks") { Description = "Fixed test tasks (the run's test seed)", DefaultValueFactory = _ => 100 };
    private static readonly Option<double[]> Noise = new("--noise") { Description = "Khazad-Dum: noise levels for the path analysis", AllowMultipleArgumentsPerToken = true };

    public static Command Create()
    {
        var command = new Command("evaluate", "Evaluate a saved model against a random policy (and, on Khazad-Dum, its paths and falls)");
        foreach (var o in new Option[] { Model, Which, Tasks, Noise }) command.Options.Add(o);
        command.SetAction(parse => Run(parse));
        return command;
    }

    private static int Run(ParseResult parse)
    {
        var path = parse.GetValue(Model)!;
        int count = parse.GetValue(Tasks);
        if (count is < 1 or > 1_000_000) throw new UsageException($"--test-tasks {count} is invalid; allowed: 1 to 1000000");
        foreach (var level in parse.GetValue(Noise) ?? [])
            if (!(level >= 0 && level <= 100)) throw new UsageException($"--noise {level} is invalid; allowed: finite levels from 0 to 100");
        if (parse.GetValue(Which) is not ("selected" or "final")) throw new UsageException($"--which '{parse.GetValue(Which)}' is invalid; allowed: selected, final");
        RunSpec spec;
        IMetaLearner learner;
        (spec, learner) = ModelFiles.Open(path, parse.GetValue(Which)!);
        using (learner)
        {
            var family = learner.Family;
            // The path analysis is Khazad-Dum's (its bridges and its noise): refused elsewhere, not silently ignored.
            bool paths = learner is RlMetaLearner && family is Learning.Environments.KhazadDum.KhazadDumFamily;
            if (parse.GetValue(Noise) is { Length: > 0 } && !paths)
                throw new UsageException($"--noise applies to Khazad-Dum models only (its paths and falls); this model is {spec.Family} / {spec.Learner}; allowed: no --noise");
            var tasks = family.FixedTaskSet(count, spec.Evaluation.TestSeed, spec.Evaluation.TestLatentRange);
            EvaluationScores scores;
            string which = parse.GetValue(Which)!;
            using (var progress = new ConsoleProgress())
            {
                try
                {
                    progress.Report(new RunPhase(PhaseKind.Test, $"the {which} model", 0, count));
                    scores = learner.Evaluate(tasks, spec.Evaluation.TestSeed, new Progress(progress, which, count));
                    progress.Report(new RunPhase(PhaseKind.Test, $"the {which} model", count, count));
                }
                catch (NotSupportedException e)
                {
                    throw new UsageException($"--model {Untrusted.Quote(path)}: {Untrusted.Line(e.Message)}");
                }
            }
            string F(double[] v) => string.Create(CultureInfo.InvariantCulture, $"mean {v.Average(),10:F4}  CVaR_{spec.Alpha} {Cvar.Of(v, spec.Alpha),10:F4}");
            Console.WriteLine($"{spec.Family} / {spec.Learner} / {spec.Method} α={spec.Alpha} seed={spec.Seed}, {parse.GetValue(Which)} model, {count} test tasks");
            Console.WriteLine($"  after adaptation   {F(scores.Post)}");
            Console.WriteLine($"  before adaptation  {F(scores.Pre)}");
            if (family is IRlTaskFamily rl)
            {
                var random = RandomPolicy.MeanReturns(rl, tasks, spec.Rl.EpisodesPerTask, spec.Evaluation.TestSeed);
                Console.WriteLine($"  random policy      {F(random)}");
            }
            if (paths && learner is RlMetaLearner rlLearner)
            {
                foreach (var noise in parse.GetValue(Noise) is { Length: > 0 } n ? n : [0.0, 0.1, 0.5, 1.0])
                {
                    var b = KhazadDumBehaviour.Measure(rlLearner, noise, 50, spec.Evaluation.TestSeed);
                    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                        $"  noise {noise,4:F2}: {b.Episodes} episodes: narrow bridge {b.NarrowBridge,4}, wide bridge {b.WideBridge,4}, fell {b.FallRate,6:P1}, reached the goal {b.ArrivalRate,6:P1}, mean return {b.MeanReturn:F3}"));
                }
            }
        }
        return Cli.ExitOk;
    }

    /// <summary>The learner's count of tasks done, shown as the test of the model.</summary>
    private sealed class Progress(ConsoleProgress to, string which, int total) : IProgress<int>
    {
        public void Report(int done) => to.Report(new RunPhase(PhaseKind.Test, $"the {which} model", done, total));
    }
}
