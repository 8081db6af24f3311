using MetaRl.Grains.Interfaces.State;

namespace MetaRl.Grains.Interfaces;

/// <summary>
/// One silo's own view (capabilities, core budget, runs training and waiting), keyed by the silo's
/// address (<c>SiloAddress.ToParsableString()</c>) and always activated on that silo.
/// </summary>
[Alias("metarl.ISiloGrain")]
public interface ISiloGrain : IGrainWithStringKey
{
    [Alias("Get")]
    Task<SiloView> GetAsync(CancellationToken cancellationToken = default);
}
