using Orleans.Placement;

namespace MetaRl.Grains.Placement;

/// <summary>
/// Places a run's activation on the silo with the least training load (cores training and waiting,
/// over its core budget), a run that needs a GPU only on a silo that has one, and a run only on a silo
/// with at least its memory floor.
/// </summary>
[GenerateSerializer, Immutable, Alias("metarl.TrainingPlacement")]
public sealed class TrainingPlacement : PlacementStrategy
{
    public static TrainingPlacement Singleton { get; } = new();

    /// <summary>Request-context key the sweep sets (true) when it starts or wakes a run that needs a GPU.</summary>
    public const string GpuKey = "metarl.gpu";

    /// <summary>Request-context key with the cores the run asks for.</summary>
    public const string CoresKey = "metarl.cores";

    /// <summary>Request-context key with the run's memory floor in bytes (Learning's MemoryFloor): only silos offering that much.</summary>
    public const string MemoryKey = "metarl.memory";
}

/// <summary>Marks a grain class as placed by <see cref="TrainingPlacement"/>.</summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false)]
public sealed class TrainingPlacementAttribute() : PlacementAttribute(TrainingPlacement.Singleton);
