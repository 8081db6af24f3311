namespace MetaRl.Learning.Environments.MuJoCo;

/// <summary>
/// An environment on a MuJoCo model: a per-task model copy, one simulation, frame skip in native
/// code, the usual initial-state noise, and bad physics (NaN, divergence, MuJoCo errors, MuJoCo's
/// silent auto-reset) ending the episode with no reward. Subclasses write observations and rewards.
/// The action space is the actuators' control range (as gym's MuJoCo environments build it).
/// </summary>
public abstract class MujocoEnvironment : EnvironmentBase
{
    private readonly double _positionNoise;
    private readonly double _velocityNoise;
    private readonly bool _uniformVelocityNoise;

    /// <param name="model">A per-task model; the environment owns and disposes it.</param>
    /// <param name="positionNoise">qpos0 + U(−a, a) at reset.</param>
    /// <param name="velocityNoise">qvel = a·N(0, 1) at reset (or U(−a, a) with <paramref name="uniformVelocityNoise"/>).</param>
    protected MujocoEnvironment(MetaTask task, ulong seed, int horizon, int observationSize, MjModel model, int frameSkip,
        double positionNoise, double velocityNoise, bool uniformVelocityNoise = false)
        : base(task, seed, horizon, observationSize, ActionSpaceOf(model))
    {
        Model = model;
        Simulation = new MjSimulation(model);
        FrameSkip = frameSkip;
        _positionNoise = positionNoise;
        _velocityNoise = velocityNoise;
        _uniformVelocityNoise = uniformVelocityNoise;
    }

    /// <summary>The box of the actuators' control ranges (mjModel.actuator_ctrlrange), one dimension per actuator.</summary>
    public static BoxSpace ActionSpaceOf(MjModel model)
    {
        var range = model.Field(ModelField.ActuatorCtrlRange);
        var low = new double[model.ActuatorCount];
        var high = new double[model.ActuatorCount];
        for (int u = 0; u < low.Length; u++)
        {
            if (!model.ActuatorCtrlLimited(u)) throw new MujocoException($"actuator {u} has no control range; an environment needs a bounded action space");
            low[u] = range[2 * u];
            high[u] = range[2 * u + 1];
        }
        return new BoxSpace(low, high);
    }

    protected MjModel Model { get; }

    /// <summary>Writes this task's compiled model (after its edits) as a binary model file, e.g. for a plain-C loop on the same physics.</summary>
    public void SaveModel(string path) => Model.SaveBinary(path);
    protected MjSimulation Simulation { get; }
    protected int FrameSkip { get; }

    /// <summary>Seconds of simulated time per environment step.</summary>
    public double Dt => Model.Timestep * FrameSkip;

    protected sealed override void ResetCore(Span<float> observation)
    {
        Simulation.Reset();
        var qpos = Simulation.Qpos;
        for (int i = 0; i < qpos.Length; i++) qpos[i] += Random.NextUniform(-_positionNoise, _positionNoise);
        var qvel = Simulation.Qvel;
        for (int i = 0; i < qvel.Length; i++)
            qvel[i] = _uniformVelocityNoise ? Random.NextUniform(-_velocityNoise, _velocityNoise) : _velocityNoise * Random.NextGaussian();
        NormalizeQuaternions(qpos);
        Simulation.Forward(); // as gym's set_state: every derived quantity at the noisy start state
        OnReset();
        WriteObservation(observation);
    }

    protected sealed override (double Reward, bool Terminated, bool BadPhysics) StepCore(ReadOnlySpan<float> action, Span<float> observation)
    {
        BeforeStep();
        var ctrl = Simulation.Ctrl;
        for (int i = 0; i < ctrl.Length; i++) ctrl[i] = action[i];
        var outcome = Simulation.Step(FrameSkip);
        if (outcome != StepOutcome.Ok)
        {
            observation.Clear();
            return (0.0, true, true);
        }
        var (reward, terminated) = AfterStep(action);
        WriteObservation(observation);
        return (reward, terminated, false);
    }

    /// <summary>
    /// Puts the simulation in a given state (qpos, qvel; controls zero) as a reset would leave it —
    /// derived quantities through mj_forward, <see cref="OnReset"/> run — and writes its observation.
    /// For hand-built states (tests, diagnostics); the step index is not changed.
    /// </summary>
    public void SetPhysicsState(ReadOnlySpan<double> qpos, ReadOnlySpan<double> qvel, Span<float> observation)
    {
        if (observation.Length != ObservationSize) throw new ArgumentException($"the observation has {ObservationSize} values, got a buffer of {observation.Length}", nameof(observation));
        Simulation.Ctrl.Clear();
        Simulation.SetState(qpos, qvel);
        OnReset();
        WriteObservation(observation);
    }

    /// <summary>Hook after a reset, before the first observation (e.g. to remember a start position).</summary>
    protected virtual void OnReset()
    {
    }

    /// <summary>Hook before the physics advances (e.g. to remember the torso position).</summary>
    protected virtual void BeforeStep()
    {
    }

    /// <summary>The step's reward and whether the task ended it (falling, for instance).</summary>
    protected abstract (double Reward, bool Terminated) AfterStep(ReadOnlySpan<float> action);

    protected abstract void WriteObservation(Span<float> observation);

    /// <summary>Free joints' quaternions must stay unit after position noise.</summary>
    private void NormalizeQuaternions(Span<double> qpos)
    {
        var types = Model.IntField(ModelIntField.JointType);
        var addresses = Model.IntField(ModelIntField.JointQposAddress);
        for (int j = 0; j < types.Length; j++)
        {
            int start = types[j] switch { 0 => addresses[j] + 3, 1 => addresses[j], _ => -1 }; // mjJNT_FREE, mjJNT_BALL
            if (start < 0) continue;
            double n = Math.Sqrt(qpos[start] * qpos[start] + qpos[start + 1] * qpos[start + 1] + qpos[start + 2] * qpos[start + 2] + qpos[start + 3] * qpos[start + 3]);
            for (int k = 0; k < 4; k++) qpos[start + k] /= n;
        }
    }

    /// <summary>Squared norm of an action (control cost).</summary>
    protected static double SquaredNorm(ReadOnlySpan<float> action)
    {
        double s = 0;
        foreach (var a in action) s += (double)a * a;
        return s;
    }

    protected override void SaveCore(BinaryWriter writer)
    {
        var state = Simulation.GetFullState();
        writer.Write(state.Length);
        foreach (var v in state) writer.Write(v);
        SaveExtra(writer);
    }

    protected override void RestoreCore(BinaryReader reader)
    {
        int n = reader.ReadInt32();
        var state = new double[n];
        for (int i = 0; i < n; i++) state[i] = reader.ReadDouble();
        Simulation.SetFullState(state);
        Simulation.Kinematics();
        RestoreExtra(reader);
    }

    /// <summary>Subclass state beyond the simulation (remembered positions), for save/restore.</summary>
    protected virtual void SaveExtra(BinaryWriter writer)
    {
    }

    protected virtual void RestoreExtra(BinaryReader reader)
    {
    }

    public override void Dispose()
    {
        Simulation.Dispose();
        Model.Dispose();
        base.Dispose();
    }
}
