namespace MetaRl.Learning.Environments.MuJoCo;

/// <summary>Real-valued mjModel arrays a task may read or change. Codes match the shim (fields.c).</summary>
public enum ModelField
{
    BodyMass = 0,
    BodyInertia = 1,
    DofDamping = 2,
    GeomSize = 3,
    GeomFriction = 4,
    BodyPos = 5,
    GeomPos = 6,
    ActuatorCtrlRange = 7,
    DofArmature = 8,
    JointStiffness = 9,
    GeomRBound = 10,
    BodyIPos = 11,
    ActuatorGear = 12,
    Qpos0 = 13,
    GeomQuat = 14,
    BodySubtreeMass = 15,
}

/// <summary>Integer mjModel arrays (addresses and ids). Codes match the shim.</summary>
public enum ModelIntField
{
    JointQposAddress = 0,
    JointDofAddress = 1,
    GeomBody = 2,
    BodyParent = 3,
    JointType = 4,
    GeomType = 5,
    ActuatorTarget = 6,
}

/// <summary>mjData arrays. Codes match the shim.</summary>
public enum DataField
{
    Qpos = 0,
    Qvel = 1,
    Ctrl = 2,
    BodyPosition = 3,
    BodyQuaternion = 4,
    BodyComPosition = 5,
    SubtreeCom = 6,
    Qacc = 7,
    BodyVelocity = 8,
    ExternalContactForce = 9,
    ActuatorForce = 10,
    BodyRotation = 11,
}

/// <summary>Object kinds for name lookups.</summary>
public enum MjObject
{
    Body = 0,
    Joint = 1,
    Geom = 2,
    Actuator = 3,
    Site = 4,
}
