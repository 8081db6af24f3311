using MetaRl.Learning.Environments.MuJoCo;

namespace MetaRl.Learning.Tests.MuJoCo;

/// <summary>
/// A reference model's compiled values (what MuJoCo's compiler made of it), listed as data by the
/// per-model tests, and the comparison of one of our shipped models against them. Arrays follow
/// MuJoCo's own order (bodies, joints, dofs, geoms, actuators as the compiled model numbers them);
/// body centres of mass are in world coordinates at qpos0, so a model may place its body frames
/// differently and still match.
/// </summary>
public sealed record ReferenceModel
{
    public required int Nq, Nv, Nu, Nbody, Njnt, Ngeom, Ntendon;
    public required double Timestep;
    public required MjIntegrator Integrator;
    public required int Solver, SolverIterations;
    public required double[] Qpos0;
    public required double[] BodyMass, BodyInertia, BodyComWorld;
    public required int[] JointLimited;
    public required double[] JointRange, JointStiffness, JointSolref, JointSolimp;
    public required double[] DofDamping, DofArmature;
    public required double[] ActuatorGear, ActuatorCtrlRange;
    public required int[] ActuatorJoint;
    public required int[] GeomContype, GeomConaffinity, GeomCondim;
    public required double[] GeomFriction, GeomMargin, GeomSolref, GeomSolimp;

    /// <summary>
    /// Compiles <paramref name="fileName"/> through our shim and compares every listed value, each
    /// to within <paramref name="relativeTolerance"/> of the reference (relative to max(1, |value|)).
    /// Every mismatch is reported, not only the first.
    /// </summary>
    /// <summary>The comparison must be able to fail: this reference with body 1 made 1% heavier is not matched.</summary>
    public void AssertAHeavierBodyIsNoticed(string fileName, double relativeTolerance)
    {
        var heavier = BodyMass.ToArray();
        heavier[1] *= 1.01;
        var failure = Assert.ThrowsExactly<AssertFailedException>(() => (this with { BodyMass = heavier }).AssertMatches(fileName, relativeTolerance));
        StringAssert.Contains(failure.Message, "body_mass[1]");
    }

    public void AssertMatches(string fileName, double relativeTolerance)
    {
        using var model = MjModel.LoadFile(MjModel.ShippedModelPath(fileName));
        using var sim = new MjSimulation(model);
        sim.Forward();
        var errors = new List<string>();

        void Int(string what, int expected, int actual)
        {
            if (expected != actual) errors.Add($"{what}: expected {expected}, got {actual}");
        }

        void Ints(string what, int[] expected, ReadOnlySpan<int> actual, int columns = 1, int column = 0)
        {
            int rows = actual.Length / columns;
            if (rows != expected.Length) { errors.Add($"{what}: expected {expected.Length} values, got {rows}"); return; }
            for (int i = 0; i < rows; i++)
                if (expected[i] != actual[i * columns + column]) errors.Add($"{what}[{i}]: expected {expected[i]}, got {actual[i * columns + column]}");
        }

        void Reals(string what, double[] expected, ReadOnlySpan<double> actual)
        {
            if (expected.Length != actual.Length) { errors.Add($"{what}: expected {expected.Length} values, got {actual.Length}"); return; }
            for (int i = 0; i < expected.Length; i++)
                if (!(Math.Abs(expected[i] - actual[i]) <= relativeTolerance * Math.Max(1.0, Math.Abs(expected[i]))))
                    errors.Add($"{what}[{i}]: expected {expected[i]:R}, got {actual[i]:R}");
        }

        Int("nq", Nq, model.PositionCount);
        Int("nv", Nv, model.VelocityCount);
        Int("nu", Nu, model.ActuatorCount);
        Int("nbody", Nbody, model.BodyCount);
        Int("njnt", Njnt, model.JointCount);
        Int("ngeom", Ngeom, model.GeomCount);
        Int("ntendon", Ntendon, model.TendonCount);
        if (Timestep != model.Timestep) errors.Add($"timestep: expected {Timestep:R}, got {model.Timestep:R}");
        if (Integrator != model.Integrator) errors.Add($"integrator: expected {Integrator}, got {model.Integrator}");
        Int("solver", Solver, model.Solver);
        Int("solver iterations", SolverIterations, model.SolverIterations);
        if (errors.Count > 0) Assert.Fail($"{fileName}: {string.Join("; ", errors)}"); // sizes must agree before arrays are compared

        Reals("qpos0", Qpos0, model.Field(ModelField.Qpos0));
        Reals("body_mass", BodyMass, model.Field(ModelField.BodyMass));
        Reals("body_inertia", BodyInertia, model.Field(ModelField.BodyInertia));
        Reals("body centre of mass (world, qpos0)", BodyComWorld, sim.Field(DataField.BodyComPosition));
        var limited = new int[model.JointCount];
        for (int j = 0; j < limited.Length; j++) limited[j] = model.JointLimited(j) ? 1 : 0;
        Ints("jnt_limited", JointLimited, limited);
        Reals("jnt_range", JointRange, model.Field(ModelField.JointRange));
        Reals("jnt_stiffness", JointStiffness, model.Field(ModelField.JointStiffness));
        Reals("jnt_solref", JointSolref, model.Field(ModelField.JointSolref));
        Reals("jnt_solimp", JointSolimp, model.Field(ModelField.JointSolimp));
        Reals("dof_damping", DofDamping, model.Field(ModelField.DofDamping));
        Reals("dof_armature", DofArmature, model.Field(ModelField.DofArmature));
        var gear = model.Field(ModelField.ActuatorGear, out int gearColumns);
        var motorGear = new double[model.ActuatorCount];
        for (int u = 0; u < motorGear.Length; u++) motorGear[u] = gear[u * gearColumns];
        Reals("actuator_gear", ActuatorGear, motorGear);
        Reals("actuator_ctrlrange", ActuatorCtrlRange, model.Field(ModelField.ActuatorCtrlRange));
        Ints("actuator joint", ActuatorJoint, model.IntField(ModelIntField.ActuatorTarget), columns: 2);
        Ints("geom_contype", GeomContype, model.IntField(ModelIntField.GeomContype));
        Ints("geom_conaffinity", GeomConaffinity, model.IntField(ModelIntField.GeomConaffinity));
        Ints("geom_condim", GeomCondim, model.IntField(ModelIntField.GeomCondim));
        Reals("geom_friction", GeomFriction, model.Field(ModelField.GeomFriction));
        Reals("geom_margin", GeomMargin, model.Field(ModelField.GeomMargin));
        Reals("geom_solref", GeomSolref, model.Field(ModelField.GeomSolref));
        Reals("geom_solimp", GeomSolimp, model.Field(ModelField.GeomSolimp));
        if (errors.Count > 0) Assert.Fail($"{fileName} differs from the reference in {errors.Count} values:\n{string.Join("\n", errors)}");
    }
}
