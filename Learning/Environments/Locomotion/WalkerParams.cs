using MetaRl.Learning.Environments.MuJoCo;

namespace MetaRl.Learning.Environments.Locomotion;

/// <summary>
/// Walker-2D-Params: a planar biped whose physical parameters vary per task, each by a factor
/// 1.5^(−3 + 6u), u ~ U(0, 1) (factor in [0.30, 3.375], log-uniform): the mass of each of its 7
/// bodies, the rotational inertia of each body (one factor per body, all three axes), the damping of
/// each of its 6 joints, and the friction of each of its 7 geoms (all three coefficients) — 27 latents.
/// Reward v_x + 1 (alive) − 0.001‖a‖²; the episode ends when the torso height leaves (0.8, 2.0) or
/// its pitch exceeds 1 rad. Observation (17): qpos without x, qvel clipped to ±10.
/// </summary>
public sealed class WalkerParams : LocomotionFamily
{
    private static readonly string[] Bodies = ["torso", "thigh", "leg", "foot", "thigh_left", "leg_left", "foot_left"];
    private static readonly string[] Joints = ["thigh_joint", "leg_joint", "foot_joint", "thigh_left_joint", "leg_left_joint", "foot_left_joint"];

    public WalkerParams() : base(LocomotionSpec.Walker)
    {
        var names = new List<string>();
        names.AddRange(Bodies.Select(b => $"mass_{b}"));
        names.AddRange(Bodies.Select(b => $"inertia_{b}"));
        names.AddRange(Joints.Select(j => $"damping_{j}"));
        names.AddRange(Bodies.Select(b => $"friction_{b}"));
        ParameterNames = names;
        Latents = names.Select(LatentDimension.Unit).ToList();
    }

    public override string Name => "Walker-2D-Params";
    public override IReadOnlyList<LatentDimension> Latents { get; }
    public override IReadOnlyList<string> ParameterNames { get; }

    public override double[] ToParameters(ReadOnlySpan<double> latent)
    {
        var p = new double[latent.Length];
        for (int i = 0; i < p.Length; i++) p[i] = Math.Pow(1.5, -3.0 + 6.0 * latent[i]);
        return p;
    }

    protected override void Customize(MjModel model, MetaTask task)
    {
        var f = task.Parameters;
        var mass = model.Field(ModelField.BodyMass);
        var inertia = model.Field(ModelField.BodyInertia);
        var damping = model.Field(ModelField.DofDamping);
        var friction = model.Field(ModelField.GeomFriction);
        var geomBody = model.IntField(ModelIntField.GeomBody);
        int n = Bodies.Length;
        for (int i = 0; i < n; i++)
        {
            int b = model.Id(MjObject.Body, Bodies[i]);
            mass[b] *= f[i];
            for (int k = 0; k < 3; k++) inertia[3 * b + k] *= f[n + i];
            for (int g = 0; g < geomBody.Length; g++)
                if (geomBody[g] == b)
                    for (int k = 0; k < 3; k++) friction[3 * g + k] *= f[2 * n + Joints.Length + i];
        }
        for (int j = 0; j < Joints.Length; j++) damping[model.JointDofAddress(Joints[j])] *= f[2 * n + j];
    }

    protected override LocomotionEnvironment.RewardRule RewardFor(MetaTask task) =>
        (in Motion m, ReadOnlySpan<float> a) => m.VelocityX + 1.0 - 1e-3 * LocomotionEnvironment.ActionSquaredNorm(a);

    protected override LocomotionEnvironment.TerminationRule Termination =>
        (in Motion m) => !(m.Height > 0.8 && m.Height < 2.0 && Math.Abs(m.Pitch) < 1.0);
}
