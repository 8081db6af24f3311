using MetaRl.Grains.Hosting;
using MetaRl.Storage;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace MetaRl.Silo;

/// <summary>Runs the silo's work loop for the host; the host's stopping token is the graceful shutdown.</summary>
public sealed class SiloService(IBlobStore store, SiloOptions options, ILogger<SiloService> logger, IHostApplicationLifetime lifetime) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var worker = new SiloWorker(store, options, message => logger.LogInformation("{Message}", message));
        await worker.RunAsync(stoppingToken).ConfigureAwait(false);
        if (options.ExitWhenIdle && !stoppingToken.IsCancellationRequested) lifetime.StopApplication();
    }
}
