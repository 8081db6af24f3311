namespace MetaRl.Learning.Environments.Locomotion;

/// <summary>
/// A robot as an environment sees it: its model, control period, observation layout, the point
/// whose motion rewards read, and the initial-state noise.
/// </summary>
/// <param name="ModelFile">Shipped MJCF (Learning/native/models).</param>
/// <param name="FrameSkip">Physics steps per environment step.</param>
/// <param name="QposSkip">Leading qpos entries left out of the observation (the horizontal position).</param>
/// <param name="QvelClip">Velocities in the observation are clipped to ±this (∞: no clipping).</param>
/// <param name="TrackCentreOfMass">Rewards read the whole body's centre of mass (else the root).</param>
/// <param name="Planar">Root is rootx/rootz/rooty slides and hinge (else a free joint).</param>
/// <param name="PositionNoise">Reset: qpos0 + U(−a, a).</param>
/// <param name="VelocityNoise">Reset: qvel from U(−a, a) or a·N(0, 1).</param>
public sealed record LocomotionSpec(
    string ModelFile,
    int FrameSkip,
    int QposSkip,
    double QvelClip,
    bool TrackCentreOfMass,
    bool Planar,
    double PositionNoise,
    double VelocityNoise,
    bool UniformVelocityNoise)
{
    public static readonly LocomotionSpec Ant = new("ant.xml", 5, 0, double.PositiveInfinity, false, false, 0.1, 0.1, false);
    public static readonly LocomotionSpec Walker = new("walker2d.xml", 4, 1, 10, false, true, 5e-3, 5e-3, true);
    public static readonly LocomotionSpec Humanoid = new("humanoid.xml", 5, 2, double.PositiveInfinity, true, false, 0.01, 0.01, true);
}
