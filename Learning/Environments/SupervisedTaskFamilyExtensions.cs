using MetaRl.Learning.Common;

namespace MetaRl.Learning.Environments;

/// <summary>Conveniences over <see cref="ISupervisedTaskFamily"/> that every supervised family gets.</summary>
public static class SupervisedTaskFamilyExtensions
{
    /// <summary>
    /// <see cref="ISupervisedTaskFamily.SampleBatch(MetaTask, int, RandomStream, Span{float}, Span{float})"/>
    /// into fresh arrays: [count × InputSize] inputs and [count × OutputSize] targets, row-major.
    /// </summary>
    public static (float[] Inputs, float[] Targets) SampleBatch(this ISupervisedTaskFamily family, MetaTask task, int count, RandomStream rng)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        var inputs = new float[count * family.InputSize];
        var targets = new float[count * family.OutputSize];
        family.SampleBatch(task, count, rng, inputs, targets);
        return (inputs, targets);
    }
}
