using System.CommandLine;
using MetaRl.Learning.Algorithms.Meta;
using MetaRl.Learning.Training;

namespace MetaRl.Client.Commands;

/// <summary>
/// `metarl export --model model.bin --pt policy.pt`: a saved model's policy (or regression net) in
/// PyTorch's file format, for use from Python (docs/examples/load_policy.py).
/// </summary>
public static class ExportCommand
{
    private static readonly Option<string> Model = new("--model") { Description = "A model file written by 'metarl train --save-model' (or a run's model.bin)", Required = true };
    private static readonly Option<string> Pt = new("--pt") { Description = "The PyTorch file to write (torch.load reads it)", Required = true };
    private static readonly Option<string> Which = new("--which") { Description = "selected | final", DefaultValueFactory = _ => "selected" };

    public static Command Create()
    {
        var command = new Command("export", "Write a saved model's policy in PyTorch's format (torch.load)");
        foreach (var o in new Option[] { Model, Pt, Which }) command.Options.Add(o);
        command.SetAction(parse => Run(parse));
        return command;
    }

    private static int Run(ParseResult parse)
    {
        var path = parse.GetValue(Model)!;
        var target = TrainCommand.CheckOutputFile(parse.GetValue(Pt)!, "--pt");
        if (TrainCommand.FinalPath(target) == TrainCommand.FinalPath(path))
            throw new UsageException($"--pt names the model file itself {Untrusted.Quote(parse.GetValue(Pt))}; allowed: another file (the export would replace the model with the PyTorch file)");
        var which = parse.GetValue(Which)!;
        RunSpec spec;
        IMetaLearner learner;
        (spec, learner) = ModelFiles.Open(path, which);
        using (learner)
        {
            // Written beside the target under a short name of its own, then renamed: a failure leaves no half-written file.
            var partial = Path.Combine(Path.GetDirectoryName(target)!, $".metarl-export-{Environment.ProcessId}-{Guid.NewGuid():N}.partial");
            try
            {
                using (var file = File.Create(partial)) PyTorchExport.Write(learner, spec, which, file);
                File.Move(partial, target, overwrite: true);
            }
            catch (NotSupportedException e)
            {
                File.Delete(partial);
                throw new UsageException($"--model {Untrusted.Quote(path)}: {Untrusted.Line(e.Message)}");
            }
            catch
            {
                File.Delete(partial);
                throw;
            }
        }
        Console.WriteLine($"export: {spec.Family} / {spec.Learner} / {spec.Method} α={spec.Alpha.ToString(System.Globalization.CultureInfo.InvariantCulture)} seed={spec.Seed}, {which} model → {Untrusted.Line(target, 4096)}");
        return Cli.ExitOk;
    }
}
