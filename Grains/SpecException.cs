namespace MetaRl.Grains;

/// <summary>A spec that cannot be run, with every problem named (field and allowed values). Nothing was written.</summary>
public sealed class SpecException(IReadOnlyList<string> problems) : Exception(string.Join("; ", problems))
{
    public IReadOnlyList<string> Problems { get; } = problems;
}
