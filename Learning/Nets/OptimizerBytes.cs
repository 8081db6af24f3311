using TorchSharp.Modules;

namespace MetaRl.Learning.Nets;

/// <summary>A TorchSharp optimizer's state (options, step counts, moments) as bytes, for checkpoints.</summary>
public static class OptimizerBytes
{
    public static byte[] Save(OptimizerHelper optimizer)
    {
        using var stream = new MemoryStream();
        using (var writer = new BinaryWriter(stream, System.Text.Encoding.UTF8, leaveOpen: true)) optimizer.save_state_dict(writer);
        return stream.ToArray();
    }

    /// <summary>Restores what <see cref="Save"/> wrote for an optimizer of the same kind over the same parameter shapes.</summary>
    public static void Load(OptimizerHelper optimizer, byte[] state)
    {
        using var reader = new BinaryReader(new MemoryStream(state));
        try
        {
            optimizer.load_state_dict(reader);
        }
        catch (EndOfStreamException e)
        {
            throw new InvalidDataException($"optimizer state of {state.Length} bytes is truncated", e);
        }
        if (reader.BaseStream.Position != state.Length) throw new InvalidDataException($"optimizer state has {state.Length - reader.BaseStream.Position} bytes more than this optimizer reads");
    }
}
