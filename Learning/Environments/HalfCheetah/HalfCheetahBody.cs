using MetaRl.Learning.Environments.MuJoCo;

namespace MetaRl.Learning.Environments.HalfCheetah;

/// <summary>
/// HalfCheetah-Body: three independent factors, each 2^(−1+2u), u ~ U(0, 1):
/// mass (every body's mass and inertia × f, and every limb geom's thickness × √f, as a body made of
/// thicker capsules would be), dof damping (× f), and head length (the head capsule stretched × f
/// from its neck in the MJCF, so the compiler gives the torso the head's new mass, inertia and
/// centre of mass; the mass factor then applies on top). Reward v − 0.05‖a‖².
/// </summary>
public sealed class HalfCheetahBody : HalfCheetahFamily
{
    public override string Name => "HalfCheetah-Body";

    public override IReadOnlyList<LatentDimension> Latents { get; } =
        [LatentDimension.Unit("mass"), LatentDimension.Unit("damping"), LatentDimension.Unit("head")];

    public override IReadOnlyList<string> ParameterNames { get; } = ["mass_factor", "damping_factor", "head_factor"];

    public override double[] ToParameters(ReadOnlySpan<double> latent) => [ScaleFactor(latent[0]), ScaleFactor(latent[1]), ScaleFactor(latent[2])];

    protected override void Customize(MjModel model, MetaTask task)
    {
        ModelEdits.ScaleAllMasses(model, task.Parameters[0]);
        ModelEdits.ScaleGeomThickness(model, Math.Sqrt(task.Parameters[0]));
        ModelEdits.ScaleDamping(model, task.Parameters[1]);
    }

    protected override Action<System.Xml.Linq.XDocument> EditXml(MetaTask task) =>
        doc => ModelEdits.StretchGeomXml(doc, "head", task.Parameters[2]);

    protected override double Reward(MetaTask task, double velocity, ReadOnlySpan<float> action) =>
        velocity - HalfCheetahEnvironment.ControlCost(action);
}
