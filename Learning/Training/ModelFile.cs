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

    /// <summary>The spec inside a model file is read as strictly as a spec file: no nulls where not optional, no field this build does not know, no duplicates.</summary>
    private static readonly JsonSerializerOptions SpecReading = new()
    {
        RespectNullableAnnotations = true,
        UnmappedMemberHandling = System.Text.Json.Serialization.JsonUnmappedMemberHandling.Disallow,
        AllowDuplicateProperties = false,
        MaxDepth = 32,
    };

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
        var parameters = archive.GetBytes(which);
        if (NonFinite(parameters) is { } bad) throw new InvalidDataException($"entry '{which}' has non-finite values ({bad}); the run diverged or the file is damaged; allowed: a model with finite parameters");
        var learner = MetaTrainingRun.CreateLearner(spec, TaskFamilies.Create(spec.Family));
        try
        {
            learner.LoadParameters(parameters);
        }
        catch
        {
            learner.Dispose();
            throw;
        }
        return (spec, learner);
    }

    /// <summary>How many NaN or infinite numbers the parameter archive holds and where the first is; null when none.</summary>
    private static string? NonFinite(byte[] parameters)
    {
        TensorArchive archive;
        try
        {
            archive = TensorArchive.FromBytes(parameters);
        }
        catch (InvalidDataException)
        {
            return null; // not this check's business: loading the parameters says what is wrong
        }
        long count = 0, total = 0;
        string? first = null;
        foreach (var e in archive.Entries)
        {
            int size = TensorArchive.ElementSize(e.Type);
            if (e.Type is not (TensorArchive.ElementType.Float32 or TensorArchive.ElementType.Float64)) continue;
            for (int i = 0; i + size <= e.Data.Length; i += size)
            {
                double x = e.Type == TensorArchive.ElementType.Float32
                    ? System.Buffers.Binary.BinaryPrimitives.ReadSingleLittleEndian(e.Data.AsSpan(i))
                    : System.Buffers.Binary.BinaryPrimitives.ReadDoubleLittleEndian(e.Data.AsSpan(i));
                total++;
                if (double.IsFinite(x)) continue;
                count++;
                first ??= e.Name;
            }
        }
        return count == 0 ? null : $"{count} of {total} numbers, the first in '{first}'";
    }
}
