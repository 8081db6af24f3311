namespace MetaRl.Learning.Environments.Locomotion;

/// <summary>
/// How the tracked point of a robot (its root, torso frame or centre of mass) moved during one
/// step, where the robot is afterwards, and the contact forces on it: what locomotion rewards and
/// termination rules read.
/// </summary>
/// <param name="VelocityX">Δx / dt of the tracked point (m/s).</param>
/// <param name="VelocityY">Δy / dt of the tracked point (m/s); 0 for planar robots.</param>
/// <param name="X">Tracked point x after the step.</param>
/// <param name="Y">Tracked point y after the step.</param>
/// <param name="Height">Root height (qpos of the vertical coordinate).</param>
/// <param name="Pitch">Root pitch for planar robots (rooty), else 0.</param>
/// <param name="ContactForceSquared">Σ cfrc_ext², each component first clipped to the spec's <see cref="LocomotionSpec.ContactForceClip"/>; 0 when the spec computes no contact forces.</param>
public readonly record struct Motion(double VelocityX, double VelocityY, double X, double Y, double Height, double Pitch, double ContactForceSquared = 0);
