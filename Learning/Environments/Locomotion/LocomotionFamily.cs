using MetaRl.Learning.Environments.MuJoCo;

namespace MetaRl.Learning.Environments.Locomotion;

/// <summary>What ant, walker and humanoid families share: a robot spec, horizon 200, actions in the actuators' control range.</summary>
public abstract class LocomotionFamily : IRlTaskFamily
{
    protected LocomotionFamily(LocomotionSpec spec)
    {
        Spec = spec;
        var template = MujocoModels.Template(spec.ModelFile);
        ObservationSpace = BoxSpace.Unbounded(LocomotionEnvironment.ObservationSizeOf(spec, template));
        ActionSpace = MuJoCo.MujocoEnvironment.ActionSpaceOf(template);
    }

    public LocomotionSpec Spec { get; }
    public abstract string Name { get; }
    public abstract IReadOnlyList<LatentDimension> Latents { get; }
    public abstract IReadOnlyList<string> ParameterNames { get; }
    public abstract double[] ToParameters(ReadOnlySpan<double> latent);

    public int Horizon => 200;
    public BoxSpace ObservationSpace { get; }
    public Space ActionSpace { get; }

    /// <summary>Changes the task's model copy; nothing by default.</summary>
    protected virtual void Customize(MjModel model, MetaTask task)
    {
    }

    protected abstract LocomotionEnvironment.RewardRule RewardFor(MetaTask task);

    /// <summary>When the robot has fallen (null: never; the episode runs to the horizon).</summary>
    protected virtual LocomotionEnvironment.TerminationRule? Termination => null;

    public IEnvironment CreateEnvironment(MetaTask task, ulong seed)
    {
        if (task.Family != Name) throw new ArgumentException($"task of {task.Family} given to {Name}", nameof(task));
        var model = MujocoModels.ForTask(Spec.ModelFile, m => Customize(m, task));
        return new LocomotionEnvironment(task, seed, Horizon, Spec, model, RewardFor(task), Termination);
    }

    /// <summary>2^(−1 + 2u): a scale factor in [0.5, 2], log-uniform when u is uniform.</summary>
    protected static double ScaleFactor(double u) => Math.Pow(2.0, -1.0 + 2.0 * u);
}
