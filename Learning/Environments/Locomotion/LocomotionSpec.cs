namespace MetaRl.Learning.Environments.Locomotion;

/// <summary>Which point of a robot its rewards follow.</summary>
public enum TrackedPoint
{
    /// <summary>The root's slide coordinates (qpos[0], and 0 for y): planar robots, as gym reads them.</summary>
    RootCoordinates,

    /// <summary>The torso body's frame origin (mjData.xpos, as left by the last physics step; gym's get_body_com).</summary>
    TorsoFrame,

    /// <summary>The whole body's centre of mass (mass-weighted mjData.xipos, as left by the last physics step).</summary>
    CentreOfMass,
}

/// <summary>
/// A robot as an environment sees it: its model, control period, observation layout, the point
/// whose motion rewards read, and the initial-state noise — the constants of the gym v3
/// environment it reproduces (see docs/TASK_FAMILIES.md).
/// </summary>
/// <param name="ModelFile">Shipped MJCF (Learning/native/models).</param>
/// <param name="FrameSkip">Physics steps per environment step.</param>
/// <param name="QposSkip">Leading qpos entries left out of the observation (the horizontal position).</param>
/// <param name="QvelClip">Velocities in the observation are clipped to ±this (∞: no clipping).</param>
/// <param name="Tracked">The point whose displacement gives the velocity rewards read.</param>
/// <param name="Planar">Root is rootx/rootz/rooty slides and hinge (else a free joint).</param>
/// <param name="PositionNoise">Reset: qpos0 + U(−a, a).</param>
/// <param name="VelocityNoise">Reset: qvel from U(−a, a) or a·N(0, 1).</param>
/// <param name="UniformVelocityNoise">Reset qvel noise is uniform (else Gaussian).</param>
/// <param name="ContactForces">The step computes the bodies' external contact forces (cfrc_ext) for the observation and the contact cost.</param>
/// <param name="ContactForceClip">cfrc_ext is clipped to ±this in the observation and before squaring for the contact cost (∞: not clipped).</param>
/// <param name="ComObservations">The observation adds, after qvel, the bodies' cinert and cvel and the actuator forces (qfrc_actuator), then cfrc_ext.</param>
public sealed record LocomotionSpec(
    string ModelFile,
    int FrameSkip,
    int QposSkip,
    double QvelClip,
    TrackedPoint Tracked,
    bool Planar,
    double PositionNoise,
    double VelocityNoise,
    bool UniformVelocityNoise,
    bool ContactForces,
    double ContactForceClip,
    bool ComObservations)
{
    /// <summary>Ant-v3: qpos without x, y, qvel, cfrc_ext clipped to ±1 (111); the torso's frame is tracked.</summary>
    public static readonly LocomotionSpec Ant = new("ant.xml", 5, 2, double.PositiveInfinity, TrackedPoint.TorsoFrame, false, 0.1, 0.1, false,
        ContactForces: true, ContactForceClip: 1.0, ComObservations: false);

    /// <summary>Ant-v3 with exclude_current_positions_from_observation off: the observation keeps the torso's x, y (113).</summary>
    public static readonly LocomotionSpec AntWithPosition = Ant with { QposSkip = 0 };

    /// <summary>Walker2d-v3: qpos without x, qvel clipped to ±10 (17).</summary>
    public static readonly LocomotionSpec Walker = new("walker2d.xml", 4, 1, 10, TrackedPoint.RootCoordinates, true, 5e-3, 5e-3, true,
        ContactForces: false, ContactForceClip: double.PositiveInfinity, ComObservations: false);

    /// <summary>Humanoid-v3: qpos without x, y, qvel, cinert, cvel, qfrc_actuator, cfrc_ext (376); the centre of mass is tracked.</summary>
    public static readonly LocomotionSpec Humanoid = new("humanoid.xml", 5, 2, double.PositiveInfinity, TrackedPoint.CentreOfMass, false, 0.01, 0.01, true,
        ContactForces: true, ContactForceClip: double.PositiveInfinity, ComObservations: true);
}
