namespace MetaRl.Grains.Interfaces.Contracts;

/// <summary>A virtual grain: addressed by its key, activated on demand, its state in blob storage.</summary>
public interface IGrain
{
    GrainKey Key { get; }
}
