using System.Runtime.InteropServices;

namespace MetaRl.Learning.Environments.MuJoCo;

/// <summary>A compiled MuJoCo model (mjModel). Immutable once loaded; share it between simulations.</summary>
public sealed class MjModel : IDisposable
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

    public int PositionCount => MujocoNative.mjs_nq(Handle);
    public int VelocityCount => MujocoNative.mjs_nv(Handle);
    public int ActuatorCount => MujocoNative.mjs_nu(Handle);
    public int BodyCount => MujocoNative.mjs_nbody(Handle);
    public double Timestep => MujocoNative.mjs_timestep(Handle);

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
