using System.Collections.Concurrent;
using System.Xml.Linq;

namespace MetaRl.Learning.Environments.MuJoCo;

/// <summary>
/// The models the project ships (Learning/native/models, copied to 'models/' beside the
/// assemblies), each compiled once per process and shared read-only. Environments never use a
/// template directly: they take a <see cref="MjModel.Copy"/> and change their task's parameters there.
/// </summary>
public static class MujocoModels
{
    private static readonly ConcurrentDictionary<string, Lazy<MjModel>> Templates = new(StringComparer.Ordinal);
    private static readonly ConcurrentDictionary<string, Lazy<string>> Sources = new(StringComparer.Ordinal);

    public static MjModel Template(string fileName) =>
        Templates.GetOrAdd(fileName, f => new Lazy<MjModel>(() => MjModel.LoadFile(MjModel.ShippedModelPath(f)))).Value;

    /// <summary>
    /// A per-task model compiled from an edited copy of a shipped model's MJCF: for changes whose
    /// consequences MuJoCo's compiler must work out (a longer geom's mass and inertia, a moved
    /// centre of mass). Compiling costs about a millisecond.
    /// </summary>
    public static MjModel ForTaskXml(string fileName, Action<XDocument> editXml, Action<MjModel>? customize)
    {
        var source = Sources.GetOrAdd(fileName, f => new Lazy<string>(() => File.ReadAllText(MjModel.ShippedModelPath(f)))).Value;
        var document = XDocument.Parse(source);
        editXml(document);
        var model = MjModel.LoadXml(document.ToString(SaveOptions.DisableFormatting));
        try
        {
            customize?.Invoke(model);
            model.SetConst();
            return model;
        }
        catch
        {
            model.Dispose();
            throw;
        }
    }

    /// <summary>A private copy of a shipped model for one task, after <paramref name="customize"/> and <see cref="MjModel.SetConst"/>.</summary>
    public static MjModel ForTask(string fileName, Action<MjModel>? customize)
    {
        var model = Template(fileName).Copy();
        try
        {
            customize?.Invoke(model);
            model.SetConst();
            return model;
        }
        catch
        {
            model.Dispose();
            throw;
        }
    }
}
