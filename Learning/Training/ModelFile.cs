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

    /// <summary>The spec inside a model file is read strictly: no nulls where not optional (fields this build does not know are skipped).</summary>
    private static readonly JsonSerializerOptions SpecReading = new() { RespectNullableAnnotations = true, UnmappedMemberHandling = System.Text.Json.Serialization.JsonUnmappedMemberHandling.Skip };

    /// <summary>The learner of a model file with the chosen parameters ("selected" or "final") loaded.</summary>
    public static (RunSpec Spec, IMetaLearner Learner) Load(byte[] bytes, string which)
    {
        if (which is not ("selected" or "final")) throw new ArgumentException($"'{which}' is not a model in the file; allowed: selected, final", nameof(which));
        TensorArchive archive;
        RunSpec spec;
        try
        {
            archive = TensorArchive.FromBytes(bytes);
            spec = JsonSerializer.Deserialize<RunSpec>(archive.GetBytes("spec"), SpecReading) ?? throw new InvalidDataException("the model file's spec is null");
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or EndOfStreamException or ArgumentException or OverflowException or FormatException or IndexOutOfRangeException)
        {
            throw new InvalidDataException($"not a model file of metarl ({e.GetType().Name}: {e.Message.Split('\n')[0]})", e);
        }
        var problems = spec.Validate();
        if (problems.Count > 0) throw new InvalidDataException($"the model file's spec is invalid: {string.Join("; ", problems.Take(5))}");
        var learner = MetaTrainingRun.CreateLearner(spec, TaskFamilies.Create(spec.Family));
        learner.LoadParameters(archive.GetBytes(which));
        return (spec, learner);
    }
}
