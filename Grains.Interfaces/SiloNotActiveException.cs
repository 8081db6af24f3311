namespace MetaRl.Grains.Interfaces;

/// <summary>
/// A grain bound to one silo (its key is the silo's address) was called while that silo is not an active
/// member of the cluster: it has just died or left. Callers that ask every silo skip it or try again.
/// </summary>
[GenerateSerializer, Alias("metarl.SiloNotActiveException")]
public sealed class SiloNotActiveException : OrleansException
{
    public SiloNotActiveException(string silo) : base($"silo {silo} is not an active member of the cluster") => Silo = silo;

    [Id(0)]
    public string Silo { get; }
}
