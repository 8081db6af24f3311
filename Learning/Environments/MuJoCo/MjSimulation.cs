namespace MetaRl.Learning.Environments.MuJoCo;

/// <summary>One simulation state (mjData) of a model. Not thread-safe: one per environment instance.</summary>
public sealed unsafe class MjSimulation : IDisposable
{
    private readonly MjModel _model;
    private IntPtr _data;

    // mjData's arrays are carved out of one buffer that mj_makeData allocates once, so a field's
    // address and size never change while the simulation lives: looked up once, not per step.
    private readonly IntPtr[] _fieldAddress = new IntPtr[FieldCount];
    private readonly int[] _fieldLength = new int[FieldCount];
    private const int FieldCount = (int)DataField.ComInertia + 1;

    public MjSimulation(MjModel model)
    {
        _model = model;
        _data = MujocoNative.mjs_make_data(model.Handle);
        if (_data == IntPtr.Zero) throw new MujocoException(MujocoNative.LastError());
    }

    ~MjSimulation() => Release();

    private IntPtr Data => _data != IntPtr.Zero ? _data : throw new ObjectDisposedException(nameof(MjSimulation));

    public MjModel Model => _model;

    public double Time => MujocoNative.mjs_time(Data);

    /// <summary>Applies <paramref name="control"/> and advances <paramref name="frameSkip"/> physics steps in native code.</summary>
    public StepOutcome Step(ReadOnlySpan<double> control, int frameSkip = 1)
    {
        if (control.Length != 0 && control.Length != _model.ActuatorCount)
            throw new ArgumentException($"control has {control.Length} values, the model has {_model.ActuatorCount} actuators", nameof(control));
        fixed (double* c = control)
            return (StepOutcome)MujocoNative.mjs_step(_model.Handle, Data, control.Length == 0 ? null : c, frameSkip);
    }

    /// <summary>The message of the last MuJoCo error on this thread (after <see cref="StepOutcome.Error"/>).</summary>
    public static string LastError => MujocoNative.LastError();

    public void Reset() => MujocoNative.mjs_reset(_model.Handle, Data);

    /// <summary>An mjData array as a span over native memory (valid while this simulation lives).</summary>
    public Span<double> Field(DataField field)
    {
        var data = Data;
        int f = (int)field;
        if ((uint)f < FieldCount && _fieldAddress[f] != IntPtr.Zero) return new Span<double>((void*)_fieldAddress[f], _fieldLength[f]);
        int rows, cols;
        var p = MujocoNative.mjs_data_field(_model.Handle, data, f, &rows, &cols);
        if (p == null) throw new MujocoException(MujocoNative.LastError());
        if ((uint)f < FieldCount)
        {
            _fieldLength[f] = rows * cols;
            _fieldAddress[f] = (IntPtr)p;
        }
        return new Span<double>(p, rows * cols);
    }

    /// <summary>qpos (writable; call <see cref="Kinematics"/> after writing when body frames are read).</summary>
    public Span<double> Qpos => Field(DataField.Qpos);
    public Span<double> Qvel => Field(DataField.Qvel);
    public Span<double> Ctrl => Field(DataField.Ctrl);

    /// <summary>Advances <paramref name="frameSkip"/> physics steps with the controls in <see cref="Ctrl"/>.</summary>
    public StepOutcome Step(int frameSkip) => (StepOutcome)MujocoNative.mjs_step_n(_model.Handle, Data, frameSkip);

    /// <summary>Recomputes body frames and centres of mass from qpos without touching the solver's warm start.</summary>
    public void Kinematics()
    {
        if (MujocoNative.mjs_kinematics(_model.Handle, Data) != 0) throw new MujocoException(MujocoNative.LastError());
    }

    /// <summary>
    /// Every quantity derived from qpos, qvel and ctrl (mj_forward: body frames, velocities,
    /// actuator forces, contacts, accelerations). The solver's warm start is not changed.
    /// </summary>
    public void Forward()
    {
        if (MujocoNative.mjs_forward(_model.Handle, Data) != 0) throw new MujocoException(MujocoNative.LastError());
    }

    /// <summary>
    /// Fills <see cref="DataField.ExternalContactForce"/> (mjData.cfrc_ext) from the last step's
    /// contact forces; stepping alone leaves it stale. Changes nothing the next step depends on.
    /// </summary>
    public void ComputeContactForces()
    {
        if (MujocoNative.mjs_contact_forces(_model.Handle, Data) != 0) throw new MujocoException(MujocoNative.LastError());
    }

    /// <summary>Every value the next step depends on (time, qpos, qvel, act, ctrl, solver warm start).</summary>
    public double[] GetFullState()
    {
        var state = new double[MujocoNative.mjs_full_state_size(_model.Handle)];
        fixed (double* p = state) MujocoNative.mjs_get_full_state(_model.Handle, Data, p);
        return state;
    }

    public void SetFullState(ReadOnlySpan<double> state)
    {
        var n = MujocoNative.mjs_full_state_size(_model.Handle);
        if (state.Length != n) throw new ArgumentException($"a full state of this model has {n} values, got {state.Length}", nameof(state));
        fixed (double* p = state) MujocoNative.mjs_set_full_state(_model.Handle, Data, p);
    }

    public double[] Positions()
    {
        var q = new double[_model.PositionCount];
        fixed (double* p = q) MujocoNative.mjs_get_qpos(_model.Handle, Data, p, q.Length);
        return q;
    }

    public double[] Velocities()
    {
        var v = new double[_model.VelocityCount];
        fixed (double* p = v) MujocoNative.mjs_get_qvel(_model.Handle, Data, p, v.Length);
        return v;
    }

    /// <summary>Sets qpos and qvel and recomputes derived quantities (mj_forward).</summary>
    public void SetState(ReadOnlySpan<double> positions, ReadOnlySpan<double> velocities)
    {
        if (positions.Length != _model.PositionCount) throw new ArgumentException($"expected {_model.PositionCount} positions, got {positions.Length}", nameof(positions));
        if (velocities.Length != _model.VelocityCount) throw new ArgumentException($"expected {_model.VelocityCount} velocities, got {velocities.Length}", nameof(velocities));
        fixed (double* q = positions)
        fixed (double* v = velocities)
            if (MujocoNative.mjs_set_state(_model.Handle, Data, q, v) != 0) throw new MujocoException(MujocoNative.LastError());
    }

    public void Dispose()
    {
        Release();
        GC.SuppressFinalize(this);
    }

    private void Release()
    {
        var h = Interlocked.Exchange(ref _data, IntPtr.Zero);
        if (h != IntPtr.Zero) MujocoNative.mjs_free_data(h);
    }
}
