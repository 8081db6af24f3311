using System.Runtime.InteropServices;

namespace MetaRl.Learning.Environments.MuJoCo;

/// <summary>A compiled MuJoCo model (mjModel). Immutable once loaded; share it between simulations.</summary>
public sealed unsafe class MjModel : IDisposable
{
    private IntPtr _handle;

    private MjModel(IntPtr handle) => _handle = handle;

    ~MjModel() => Release();

    internal IntPtr Handle => _handle != IntPtr.Zero ? _handle : throw new ObjectDisposedException(nameof(MjModel));

    /// <summary>Loads an MJCF file. A missing file or invalid model throws <see cref="MujocoException"/>.</summary>
    public static MjModel LoadFile(string path)
    {
        var h = MujocoNative.mjs_load_xml_file(path);
        return h != IntPtr.Zero ? new MjModel(h) : throw new MujocoException($"{path}: {MujocoNative.LastError()}");
    }

    /// <summary>Loads a model from MJCF text (no file system involved).</summary>
    public static MjModel LoadXml(string xml)
    {
        var h = MujocoNative.mjs_load_xml_string(xml);
        return h != IntPtr.Zero ? new MjModel(h) : throw new MujocoException(MujocoNative.LastError());
    }

    /// <summary>Path of a model the project ships (copied to the 'models' folder beside the assemblies).</summary>
    public static string ShippedModelPath(string fileName) => Path.Combine(AppContext.BaseDirectory, "models", fileName);

    public static string Version => Marshal.PtrToStringUTF8(MujocoNative.mjs_version()) ?? "unknown";

    /// <summary>A deep copy (one per task: its parameters can then change without touching the original).</summary>
    public MjModel Copy()
    {
        var h = MujocoNative.mjs_copy_model(Handle);
        return h != IntPtr.Zero ? new MjModel(h) : throw new MujocoException(MujocoNative.LastError());
    }

    /// <summary>
    /// Recomputes derived constants (subtree masses, joint-space inertia at qpos0, actuator
    /// acceleration scales) after parameters changed. Every per-task model goes through it.
    /// </summary>
    public void SetConst()
    {
        if (MujocoNative.mjs_set_const(Handle) != 0) throw new MujocoException(MujocoNative.LastError());
    }

    /// <summary>Writes the compiled model as a binary model file (MJB; mj_loadModel reads it back exactly).</summary>
    public void SaveBinary(string path)
    {
        if (MujocoNative.mjs_save_binary(Handle, path) != 0) throw new MujocoException($"{path}: {MujocoNative.LastError()}");
        if (!File.Exists(path)) throw new MujocoException($"{path}: MuJoCo could not write the model");
    }

    /// <summary>A model array as a writable span (row-major, <paramref name="columns"/> values per row).</summary>
    public Span<double> Field(ModelField field, out int columns)
    {
        int rows, cols;
        var p = MujocoNative.mjs_model_field(Handle, (int)field, &rows, &cols);
        if (p == null) throw new MujocoException(MujocoNative.LastError());
        columns = cols;
        return new Span<double>(p, rows * cols);
    }

    public Span<double> Field(ModelField field) => Field(field, out _);

    public ReadOnlySpan<int> IntField(ModelIntField field)
    {
        int rows, cols;
        var p = MujocoNative.mjs_model_int_field(Handle, (int)field, &rows, &cols);
        if (p == null) throw new MujocoException(MujocoNative.LastError());
        return new ReadOnlySpan<int>(p, rows * cols);
    }

    /// <summary>The id of a named object; a missing name throws naming it.</summary>
    public int Id(MjObject kind, string name)
    {
        var id = MujocoNative.mjs_name2id(Handle, (int)kind, name);
        return id >= 0 ? id : throw new MujocoException($"the model has no {kind.ToString().ToLowerInvariant()} named '{name}'");
    }

    public string? Name(MjObject kind, int id) => System.Runtime.InteropServices.Marshal.PtrToStringUTF8(MujocoNative.mjs_id2name(Handle, (int)kind, id));

    /// <summary>Index in qpos of a named joint's first coordinate.</summary>
    public int JointQposAddress(string joint) => IntField(ModelIntField.JointQposAddress)[Id(MjObject.Joint, joint)];

    /// <summary>Index in qvel of a named joint's first degree of freedom.</summary>
    public int JointDofAddress(string joint) => IntField(ModelIntField.JointDofAddress)[Id(MjObject.Joint, joint)];

    public int GeomCount => MujocoNative.mjs_count(Handle, 5);
    public int JointCount => MujocoNative.mjs_count(Handle, 4);

    public int PositionCount => MujocoNative.mjs_nq(Handle);
    public int VelocityCount => MujocoNative.mjs_nv(Handle);
    public int ActuatorCount => MujocoNative.mjs_nu(Handle);
    public int BodyCount => MujocoNative.mjs_nbody(Handle);
    public double Timestep => MujocoNative.mjs_timestep(Handle);

    /// <summary>The integrator (mjtIntegrator: Euler, RK4, implicit).</summary>
    public MjIntegrator Integrator => (MjIntegrator)MujocoNative.mjs_model_int(Handle, 0, 0);

    /// <summary>The constraint solver (mjtSolver: 0 PGS, 1 CG, 2 Newton).</summary>
    public int Solver => MujocoNative.mjs_model_int(Handle, 1, 0);

    /// <summary>The constraint solver's maximum iterations.</summary>
    public int SolverIterations => MujocoNative.mjs_model_int(Handle, 2, 0);

    public int TendonCount => MujocoNative.mjs_model_int(Handle, 4, 0);

    /// <summary>Whether joint <paramref name="joint"/> has limits.</summary>
    public bool JointLimited(int joint) => MujocoNative.mjs_model_int(Handle, 5, joint) switch
    {
        < 0 => throw new ArgumentOutOfRangeException(nameof(joint), joint, $"the model has {JointCount} joints"),
        var v => v != 0,
    };

    /// <summary>Whether actuator <paramref name="actuator"/> clamps its control to its range.</summary>
    public bool ActuatorCtrlLimited(int actuator) => MujocoNative.mjs_model_int(Handle, 6, actuator) switch
    {
        < 0 => throw new ArgumentOutOfRangeException(nameof(actuator), actuator, $"the model has {ActuatorCount} actuators"),
        var v => v != 0,
    };

    public void Dispose()
    {
        Release();
        GC.SuppressFinalize(this);
    }

    private void Release()
    {
        var h = Interlocked.Exchange(ref _handle, IntPtr.Zero);
        if (h != IntPtr.Zero) MujocoNative.mjs_free_model(h);
    }
}

/// <summary>MuJoCo's integrators (mjtIntegrator).</summary>
public enum MjIntegrator
{
    Euler = 0,
    RungeKutta4 = 1,
    Implicit = 2,
}
