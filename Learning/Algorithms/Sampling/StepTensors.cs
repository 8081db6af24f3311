using static TorchSharp.torch;

namespace MetaRl.Learning.Algorithms.Sampling;

/// <summary>
/// The valid steps of one task's episodes as tensors: observations [T, O], actions [T, A] and
/// advantages [T]. Owns them (they outlive dispose scopes until <see cref="Dispose"/>).
/// </summary>
public sealed class StepTensors : IDisposable
{
    public StepTensors(EpisodeBatch batch, double[] advantages)
    {
        int t = batch.Steps, o = batch.ObservationSize, a = batch.ActionSize, h = batch.Horizon;
        var obs = new float[t * o];
        var act = new float[t * a];
        var adv = new float[t];
        int k = 0;
        for (int e = 0; e < batch.Episodes; e++)
        {
            for (int s = 0; s < batch.Lengths[e]; s++, k++)
            {
                batch.Observations.AsSpan((e * h + s) * o, o).CopyTo(obs.AsSpan(k * o));
                batch.Actions.AsSpan((e * h + s) * a, a).CopyTo(act.AsSpan(k * a));
                adv[k] = (float)advantages[e * h + s];
            }
        }
        Observations = tensor(obs, [t, o]).DetachFromDisposeScope();
        Actions = tensor(act, [t, a]).DetachFromDisposeScope();
        Advantages = tensor(adv, [t]).DetachFromDisposeScope();
        Count = t;
    }

    /// <summary>Steps given directly as tensors (the object takes ownership of them).</summary>
    public StepTensors(Tensor observations, Tensor actions, Tensor advantages)
    {
        Observations = observations.DetachFromDisposeScope();
        Actions = actions.DetachFromDisposeScope();
        Advantages = advantages.DetachFromDisposeScope();
        Count = (int)observations.shape[0];
    }

    public Tensor Observations { get; }
    public Tensor Actions { get; }
    public Tensor Advantages { get; }
    public int Count { get; }

    public void Dispose()
    {
        Observations.Dispose();
        Actions.Dispose();
        Advantages.Dispose();
    }
}
