using MetaRl.Storage;
using Microsoft.Extensions.Configuration;

namespace MetaRl.Silo;

/// <summary>Storage options for the silo: the METARL_* variables, overridden by a "Storage" configuration section.</summary>
public static class SiloConfiguration
{
    public static StorageOptions Storage(IConfiguration configuration)
    {
        var o = StorageOptions.FromEnvironment();
        var s = configuration.GetSection("Storage");
        return o with
        {
            Provider = s["Provider"] ?? o.Provider,
            LocalPath = s["LocalPath"] ?? o.LocalPath,
            ConnectionString = s["ConnectionString"] ?? o.ConnectionString,
            Container = s["Container"] ?? o.Container,
        };
    }
}
