using MetaRl.Learning.Environments.MuJoCo;

namespace MetaRl.Learning.Environments.HalfCheetah;

/// <summary>What the half-cheetah families share: horizon 200, 17 observations, 6 actions in [−1, 1] (the motors' control range).</summary>
public abstract class HalfCheetahFamily : IRlTaskFamily
{
    public abstract string Name { get; }
    public abstract IReadOnlyList<LatentDimension> Latents { get; }
    public abstract IReadOnlyList<string> ParameterNames { get; }
    public abstract double[] ToParameters(ReadOnlySpan<double> latent);

    public int Horizon => 200;
    public BoxSpace ObservationSpace { get; } = BoxSpace.Unbounded(HalfCheetahEnvironment.ObservationDimension);
    public Space ActionSpace { get; } = MujocoEnvironment.ActionSpaceOf(MujocoModels.Template(HalfCheetahEnvironment.ModelFile));

    /// <summary>Changes the task's model copy (masses, damping, geometry); nothing by default.</summary>
    protected virtual void Customize(MjModel model, MetaTask task)
    {
    }

    /// <summary>Edits the MJCF before compiling, when the compiler must derive consequences (null: no edit).</summary>
    protected virtual Action<System.Xml.Linq.XDocument>? EditXml(MetaTask task) => null;

    /// <summary>The task's reward from the torso's forward velocity and the action.</summary>
    protected abstract double Reward(MetaTask task, double velocity, ReadOnlySpan<float> action);

    public IEnvironment CreateEnvironment(MetaTask task, ulong seed)
    {
        if (task.Family != Name) throw new ArgumentException($"task of {task.Family} given to {Name}", nameof(task));
        var edit = EditXml(task);
        var model = edit is null
            ? MujocoModels.ForTask(HalfCheetahEnvironment.ModelFile, m => Customize(m, task))
            : MujocoModels.ForTaskXml(HalfCheetahEnvironment.ModelFile, edit, m => Customize(m, task));
        return new HalfCheetahEnvironment(task, seed, Horizon, model, (v, a) => Reward(task, v, a));
    }

    /// <summary>2^(−1 + 2u): a scale factor in [0.5, 2] from a unit latent (log-uniform originally).</summary>
    protected static double ScaleFactor(double u) => Math.Pow(2.0, -1.0 + 2.0 * u);
}
