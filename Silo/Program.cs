using MetaRl.Silo;
using MetaRl.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

var builder = Host.CreateApplicationBuilder(args);
var storage = StorageOptions.FromEnvironment();
builder.Services.AddSingleton(storage);
using var host = builder.Build();

var log = host.Services.GetRequiredService<ILoggerFactory>().CreateLogger("MetaRl.Silo");
var capabilities = SiloCapabilities.Detect();
log.LogInformation("silo capabilities: {Cores} cores, {MemoryGiB:F1} GiB, {Gpus} GPU(s), device {Device}",
    capabilities.Cores, capabilities.MemoryBytes / (1024.0 * 1024 * 1024), capabilities.Gpus, capabilities.TorchDevice);
var probe = await StorageProbe.CheckAsync(storage, CancellationToken.None);
log.LogInformation("storage {Provider}: {Detail}", storage.Provider, probe.Detail);
if (!probe.Reachable) return 1;
await host.RunAsync();
return 0;
