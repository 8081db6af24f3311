using MetaRl.Learning.Torch.Serialization;

namespace MetaRl.Learning.Torch.Optim;

/// <summary>
/// Updates a fixed list of parameters from their accumulated gradients. Its state (step count,
/// moment buffers) round-trips through <see cref="SaveState"/>/<see cref="LoadState"/>, so a resumed
/// run continues with exactly the optimizer it had.
/// </summary>
public abstract class Optimizer : IDisposable
{
    protected Optimizer(IReadOnlyList<Tensor> parameters)
    {
        if (parameters.Count == 0) throw new ArgumentException("an optimizer needs at least one parameter", nameof(parameters));
        Parameters = parameters.ToArray();
    }

    public IReadOnlyList<Tensor> Parameters { get; }

    /// <summary>Number of <see cref="Step"/> calls so far.</summary>
    public long StepCount { get; protected set; }

    /// <summary>One update from the parameters' .grad (parameters without a gradient are left alone).</summary>
    public void Step()
    {
        StepCount++;
        for (int i = 0; i < Parameters.Count; i++)
        {
            using var grad = Parameters[i].Grad;
            if (grad is not null) Update(i, Parameters[i], grad);
        }
    }

    /// <summary>One update from explicitly given gradients (same order as the parameters).</summary>
    public void Step(IReadOnlyList<Tensor> gradients)
    {
        if (gradients.Count != Parameters.Count) throw new ArgumentException($"{gradients.Count} gradients for {Parameters.Count} parameters", nameof(gradients));
        StepCount++;
        for (int i = 0; i < Parameters.Count; i++) Update(i, Parameters[i], gradients[i]);
    }

    protected abstract void Update(int index, Tensor parameter, Tensor gradient);

    public void ZeroGrad()
    {
        foreach (var p in Parameters) p.Grad = null;
    }

    public TensorArchive SaveState()
    {
        var archive = new TensorArchive();
        archive.AddInt64("step", StepCount);
        SaveBuffers(archive);
        return archive;
    }

    /// <summary>Restores a state saved by an optimizer of the same kind over parameters of the same shapes.</summary>
    public void LoadState(TensorArchive archive)
    {
        StepCount = archive.GetInt64("step");
        LoadBuffers(archive);
    }

    protected abstract void SaveBuffers(TensorArchive archive);
    protected abstract void LoadBuffers(TensorArchive archive);

    /// <summary>Learning rate; may be changed between steps (schedules).</summary>
    public abstract double LearningRate { get; set; }

    public virtual void Dispose() => GC.SuppressFinalize(this);

    protected static void CheckShape(string name, TensorArchive archive, Tensor like)
    {
        var e = archive.Get(name);
        if (!e.Shape.SequenceEqual(like.Shape))
            throw new ArgumentException($"optimizer state '{name}' has shape [{string.Join(",", e.Shape)}], parameter has [{string.Join(",", like.Shape)}]");
    }
}
