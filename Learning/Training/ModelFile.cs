using System.Text.Json;
using MetaRl.Learning.Algorithms.Meta;
using MetaRl.Learning.Environments;
using MetaRl.Learning.Common;

namespace MetaRl.Learning.Training;

/// <summary>
/// A trained model as a file: the run spec (so the learner can be rebuilt) and the selected and
/// final meta-parameters, in one tensor archive ("spec" JSON, "selected", "final").
/// </summary>
public static class ModelFile
{
    public static byte[] Create(MetaTrainingRun run)
    {
        var archive = new TensorArchive();
        archive.AddBytes("spec", JsonSerializer.SerializeToUtf8Bytes(run.Spec));
        archive.AddBytes("selected", run.SelectedParameters());
        archive.AddBytes("final", run.Learner.SaveParameters());
        return archive.ToBytes();
    }

    /// <summary>The learner of a model file with the chosen parameters ("selected" or "final") loaded.</summary>
    public static (RunSpec Spec, IMetaLearner Learner) Load(byte[] bytes, string which)
    {
        var archive = TensorArchive.FromBytes(bytes);
        var spec = JsonSerializer.Deserialize<RunSpec>(archive.GetBytes("spec")) ?? throw new InvalidDataException("model file has an empty spec");
        if (which is not ("selected" or "final")) throw new ArgumentException($"'{which}' is not a model in the file; allowed: selected, final", nameof(which));
        var learner = MetaTrainingRun.CreateLearner(spec, TaskFamilies.Create(spec.Family));
        learner.LoadParameters(archive.GetBytes(which));
        return (spec, learner);
    }
}
