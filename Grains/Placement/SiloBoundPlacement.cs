using Orleans.Placement;

namespace MetaRl.Grains.Placement;

/// <summary>Places a grain keyed by a silo address (<c>SiloAddress.ToParsableString()</c>) on that silo, and nowhere else.</summary>
[GenerateSerializer, Immutable, Alias("metarl.SiloBoundPlacement")]
public sealed class SiloBoundPlacement : PlacementStrategy
{
    public static SiloBoundPlacement Singleton { get; } = new();
}

/// <summary>Marks a grain class as placed by <see cref="SiloBoundPlacement"/>.</summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false)]
public sealed class SiloBoundPlacementAttribute() : PlacementAttribute(SiloBoundPlacement.Singleton);
