using System.Globalization;
using System.Xml.Linq;

namespace MetaRl.Learning.Environments.MuJoCo;

/// <summary>The parameter changes task families make to a per-task model copy.</summary>
public static class ModelEdits
{
    /// <summary>Every body's mass and rotational inertia × <paramref name="factor"/> (the world body has none).</summary>
    public static void ScaleAllMasses(MjModel model, double factor)
    {
        foreach (ref var m in model.Field(ModelField.BodyMass)) m *= factor;
        foreach (ref var i in model.Field(ModelField.BodyInertia)) i *= factor;
    }

    /// <summary>Every degree of freedom's damping × <paramref name="factor"/>.</summary>
    public static void ScaleDamping(MjModel model, double factor)
    {
        foreach (ref var d in model.Field(ModelField.DofDamping)) d *= factor;
    }

    /// <summary>
    /// Thickness (radius, size[0]) of every capsule/sphere/cylinder geom attached to a body ×
    /// <paramref name="factor"/>, keeping bounding radii consistent so collisions stay correct.
    /// </summary>
    public static void ScaleGeomThickness(MjModel model, double factor, bool includeWorld = false)
    {
        var size = model.Field(ModelField.GeomSize);
        var rbound = model.Field(ModelField.GeomRBound);
        var types = model.IntField(ModelIntField.GeomType);
        var bodies = model.IntField(ModelIntField.GeomBody);
        for (int g = 0; g < types.Length; g++)
        {
            if (!includeWorld && bodies[g] == 0) continue;
            if (types[g] is not (2 or 3 or 5)) continue; // mjGEOM_SPHERE, CAPSULE, CYLINDER
            double oldRadius = size[3 * g];
            size[3 * g] *= factor;
            rbound[g] += size[3 * g] - oldRadius;
        }
    }

    /// <summary>
    /// In MJCF: stretches the geom named <paramref name="geom"/>, given by a fromto attribute, by
    /// <paramref name="factor"/> from its first point. Compiled, its mass and inertia (from its
    /// volume) and its body's centre of mass follow.
    /// </summary>
    public static void StretchGeomXml(XDocument document, string geom, double factor)
    {
        var element = document.Descendants("geom").FirstOrDefault(e => (string?)e.Attribute("name") == geom)
                      ?? throw new MujocoException($"the model has no geom named '{geom}'");
        var fromto = (string?)element.Attribute("fromto") ?? throw new MujocoException($"geom '{geom}' has no fromto attribute to stretch");
        var v = fromto.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(x => double.Parse(x, CultureInfo.InvariantCulture)).ToArray();
        if (v.Length != 6) throw new MujocoException($"geom '{geom}' fromto must have 6 numbers");
        for (int i = 0; i < 3; i++) v[3 + i] = v[i] + factor * (v[3 + i] - v[i]);
        element.SetAttributeValue("fromto", string.Join(' ', v.Select(x => x.ToString("R", CultureInfo.InvariantCulture))));
    }
}
