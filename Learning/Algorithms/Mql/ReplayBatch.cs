using MetaRl.Learning.Nets;
using static TorchSharp.torch;

namespace MetaRl.Learning.Algorithms.Mql;

/// <summary>
/// Turns chosen transitions (a replay and a global index each) into a <see cref="Td3Batch"/> with their
/// context windows, written straight into the new tensors' memory (no managed arrays per minibatch).
/// </summary>
public static class ReplayBatch
{
    public static Td3Batch Build(IReadOnlyList<(TaskReplay Replay, long Index)> picks, int history, IReadOnlyList<float>? weights = null)
    {
        if (picks.Count == 0) throw new ArgumentException("a batch needs at least one transition", nameof(picks));
        var first = picks[0].Replay;
        int b = picks.Count, obs = first.ObservationSize, act = first.ActionSize, f = first.ContextFeatureSize;
        var o = empty(b, obs);
        var a = empty(b, act);
        var r = empty(b);
        var o2 = empty(b, obs);
        var d = empty(b);
        var context = empty(history, b, f);
        var nextContext = empty(history, b, f);
        Span<float> window = stackalloc float[history * f];
        var os = TensorValues.Floats(o);
        var acts = TensorValues.Floats(a);
        var rs = TensorValues.Floats(r);
        var o2s = TensorValues.Floats(o2);
        var ds = TensorValues.Floats(d);
        var cs = TensorValues.Floats(context);
        var ns = TensorValues.Floats(nextContext);
        for (int i = 0; i < b; i++)
        {
            var (replay, index) = picks[i];
            replay.Read(index, os.Slice(i * obs, obs), acts.Slice(i * act, act), out rs[i], o2s.Slice(i * obs, obs), out bool terminal);
            ds[i] = terminal ? 1f : 0f;
            replay.Context(index, history, next: false, window);
            Scatter(window, cs, i, b, history, f);
            replay.Context(index, history, next: true, window);
            Scatter(window, ns, i, b, history, f);
        }
        Tensor? w = null;
        if (weights is not null)
        {
            w = empty(b);
            var ws = TensorValues.Floats(w);
            for (int i = 0; i < b; i++) ws[i] = weights[i];
        }
        return new Td3Batch(o, a, r, o2, d, context, nextContext, w);
    }

    /// <summary>One sample's window [history, f] into column <paramref name="i"/> of a [history, b, f] block.</summary>
    private static void Scatter(ReadOnlySpan<float> window, Span<float> block, int i, int b, int history, int f)
    {
        for (int h = 0; h < history; h++)
            window.Slice(h * f, f).CopyTo(block.Slice((h * b + i) * f, f));
    }

    /// <summary>The context windows ([history, count, f]) of the given transitions' starting states.</summary>
    public static Tensor Contexts(IReadOnlyList<(TaskReplay Replay, long Index)> picks, int history)
    {
        int b = picks.Count, f = picks[0].Replay.ContextFeatureSize;
        Span<float> window = stackalloc float[history * f];
        var block = empty(history, b, f);
        var bs = TensorValues.Floats(block);
        for (int i = 0; i < b; i++)
        {
            picks[i].Replay.Context(picks[i].Index, history, next: false, window);
            Scatter(window, bs, i, b, history, f);
        }
        return block;
    }
}
