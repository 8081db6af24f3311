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
    /// <summary>nu × 6 (the gear's first column scales a motor's torque).</summary>
    ActuatorGear = 12,
    Qpos0 = 13,
    GeomQuat = 14,
    BodySubtreeMass = 15,
    /// <summary>njnt × 2, in radians (or metres for slides).</summary>
    JointRange = 16,
    GeomMargin = 17,
    /// <summary>ngeom × 2 (time constant, damping ratio).</summary>
    GeomSolref = 18,
    /// <summary>ngeom × 5.</summary>
    GeomSolimp = 19,
    /// <summary>njnt × 2, for joint limits.</summary>
    JointSolref = 20,
    /// <summary>njnt × 5, for joint limits.</summary>
    JointSolimp = 21,
    DofFrictionLoss = 22,
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
    /// <summary>nu × 2: the transmission's target id (a joint for motors) and its second id.</summary>
    ActuatorTarget = 6,
    GeomContype = 7,
    GeomConaffinity = 8,
    GeomCondim = 9,
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
    /// <summary>nbody × 10: each body's inertia in the centre-of-mass frame (mjData.cinert).</summary>
    ComInertia = 12,
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
