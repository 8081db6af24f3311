using MetaRl.Learning.Algorithms.Meta;
using MetaRl.Learning.Training;

namespace MetaRl.Client.Commands;

/// <summary>A model file named by the user (`--model`), read and checked: every way it can be wrong is a usage error (exit 2) naming it.</summary>
public static class ModelFiles
{
    private const long MaxBytes = 4L << 30;

    public static (RunSpec Spec, IMetaLearner Learner) Open(string path, string which)
    {
        byte[] bytes;
        try
        {
            if (Directory.Exists(path)) throw new UsageException($"--model {Untrusted.Quote(path)} is a folder; allowed: a model file written by 'metarl train --save-model'");
            var info = new FileInfo(path);
            if (!info.Exists) throw new UsageException($"--model: file {Untrusted.Quote(path)} not found");
            if (info.Length > MaxBytes) throw new UsageException($"--model {Untrusted.Quote(path)} is {info.Length} bytes; allowed: at most 4 GiB");
            // Exactly the length the file system reports: a device or pipe (length 0) is refused, not read without end.
            if (info.Length == 0) throw new UsageException($"--model {Untrusted.Quote(path)} is empty or not a regular file; allowed: a model file written by 'metarl train --save-model'");
            bytes = new byte[info.Length];
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
            stream.ReadExactly(bytes);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            throw new UsageException($"--model {Untrusted.Quote(path)} cannot be read: {Untrusted.Line(e.Message)}");
        }
        try
        {
            return ModelFile.Load(bytes, which);
        }
        catch (InvalidDataException e) when (e.InnerException is System.Text.Json.JsonException json)
        {
            throw new UsageException($"--model {Untrusted.Quote(path)} is not a usable model file: its spec is invalid: {Untrusted.Problem(MetaRl.Grains.SpecJsonErrors.Describe(json, "spec", typeof(RunSpec)))}");
        }
        catch (Exception e) when (e is not OutOfMemoryException and not UsageException)
        {
            // Everything in the file is untrusted: any failure to make a learner of it is the file's fault.
            throw new UsageException($"--model {Untrusted.Quote(path)} is not a usable model file: {Untrusted.Problem(e.Message.Split('\n')[0])}");
        }
    }
}
