using MetaRl.Learning.Common;

namespace MetaRl.Learning.Environments;

/// <summary>
/// A family of supervised (regression) tasks: a task is a function, and adapting to it means
/// fitting a few of its input/target pairs. Meta-learners treat the negative loss as the return.
/// </summary>
public interface ISupervisedTaskFamily : ITaskFamily
{
    /// <summary>Floats per input.</summary>
    int InputSize { get; }

    /// <summary>Floats per target.</summary>
    int OutputSize { get; }

    /// <summary>
    /// Draws <paramref name="count"/> input/target pairs of <paramref name="task"/> from
    /// <paramref name="rng"/> into row-major [count × InputSize] and [count × OutputSize] buffers.
    /// </summary>
    void SampleBatch(MetaTask task, int count, RandomStream rng, Span<float> inputs, Span<float> targets);
}
