using static TorchSharp.torch;

namespace MetaRl.Learning.Algorithms.Mql;

/// <summary>Turns chosen transitions (a replay and a global index each) into a <see cref="Td3Batch"/> with their context windows.</summary>
public static class ReplayBatch
{
    public static Td3Batch Build(IReadOnlyList<(TaskReplay Replay, long Index)> picks, int history, IReadOnlyList<float>? weights = null)
    {
        if (picks.Count == 0) throw new ArgumentException("a batch needs at least one transition", nameof(picks));
        var first = picks[0].Replay;
        int b = picks.Count, obs = first.ObservationSize, act = first.ActionSize, f = first.ContextFeatureSize;
        var o = new float[b * obs];
        var a = new float[b * act];
        var r = new float[b];
        var o2 = new float[b * obs];
        var d = new float[b];
        var window = new float[history * f];
        var context = new float[history * b * f];
        var nextContext = new float[history * b * f];
        for (int i = 0; i < b; i++)
        {
            var (replay, index) = picks[i];
            replay.Read(index, o.AsSpan(i * obs, obs), a.AsSpan(i * act, act), out r[i], o2.AsSpan(i * obs, obs), out bool terminal);
            d[i] = terminal ? 1f : 0f;
            replay.Context(index, history, next: false, window);
            Scatter(window, context, i, b, history, f);
            replay.Context(index, history, next: true, window);
            Scatter(window, nextContext, i, b, history, f);
        }
        return new Td3Batch(tensor(o, [b, obs]), tensor(a, [b, act]), tensor(r), tensor(o2, [b, obs]), tensor(d),
            tensor(context, [history, b, f]), tensor(nextContext, [history, b, f]), weights is null ? null : tensor(weights.ToArray()));
    }

    /// <summary>One sample's window [history, f] into column <paramref name="i"/> of a [history, b, f] block.</summary>
    private static void Scatter(float[] window, float[] block, int i, int b, int history, int f)
    {
        for (int h = 0; h < history; h++)
            window.AsSpan(h * f, f).CopyTo(block.AsSpan((h * b + i) * f, f));
    }

    /// <summary>The context windows ([history, count, f]) of the given transitions' starting states.</summary>
    public static Tensor Contexts(IReadOnlyList<(TaskReplay Replay, long Index)> picks, int history)
    {
        int b = picks.Count, f = picks[0].Replay.ContextFeatureSize;
        var window = new float[history * f];
        var block = new float[history * b * f];
        for (int i = 0; i < b; i++)
        {
            picks[i].Replay.Context(picks[i].Index, history, next: false, window);
            Scatter(window, block, i, b, history, f);
        }
        return tensor(block, [history, b, f]);
    }
}
