using MetaRl.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Orleans;
using Orleans.Hosting;
using Orleans.Runtime;

namespace MetaRl.Storage.Tests;

/// <summary>The local-folder provider inside a real in-process silo: state survives a silo restart, and bad state fails loudly.</summary>
[TestClass]
public sealed class BlobGrainStorageSiloTests
{
    public TestContext TestContext { get; set; } = null!;

    private static async Task<IHost> StartSiloAsync(string root, CancellationToken cancellationToken)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.UseOrleans(silo => silo
            .UseLocalhostClustering(siloPort: FreePort.Pick(), gatewayPort: FreePort.Pick())
            .UseSystemTextJsonGrainStorageSerializer()
            .AddLocalFolderGrainStorageAsDefault(root));
        var host = builder.Build();
        await host.StartAsync(cancellationToken);
        return host;
    }

    private static async Task StopAsync(IHost host)
    {
        await host.StopAsync(CancellationToken.None);
        host.Dispose();
    }

    [TestMethod]
    public async Task Grain_state_written_through_the_silo_survives_a_silo_restart_in_the_documented_blob()
    {
        var root = Path.Combine(Path.GetTempPath(), $"metarl-silo-grainstate-{Guid.NewGuid():N}");
        try
        {
            var silo = await StartSiloAsync(root, TestContext.CancellationToken);
            string blob;
            try
            {
                var counter = silo.Services.GetRequiredService<IGrainFactory>().GetGrain<ICounterGrain>("Run/1");
                Assert.AreEqual(1, await counter.IncrementAsync());
                Assert.AreEqual(2, await counter.IncrementAsync());
                blob = Path.Combine(root, "grainstate", GrainStatePaths.Of("counter", counter.GetGrainId()));
            }
            finally
            {
                await StopAsync(silo);
            }
            Assert.AreEqual("{\"Value\":2}", await File.ReadAllTextAsync(blob, TestContext.CancellationToken));

            silo = await StartSiloAsync(root, TestContext.CancellationToken);
            try
            {
                var counter = silo.Services.GetRequiredService<IGrainFactory>().GetGrain<ICounterGrain>("Run/1");
                Assert.AreEqual(2, await counter.GetAsync());
                Assert.AreEqual(3, await counter.IncrementAsync());
            }
            finally
            {
                await StopAsync(silo);
            }
        }
        finally
        {
            if (Directory.Exists(root)) Directory.Delete(root, recursive: true);
        }
    }

    [TestMethod]
    public async Task Corrupt_grain_state_fails_the_call_with_an_error_naming_the_blob_and_the_silo_keeps_serving()
    {
        var root = Path.Combine(Path.GetTempPath(), $"metarl-silo-grainstate-{Guid.NewGuid():N}");
        try
        {
            var silo = await StartSiloAsync(root, TestContext.CancellationToken);
            try
            {
                var grains = silo.Services.GetRequiredService<IGrainFactory>();
                var corrupt = grains.GetGrain<ICounterGrain>("corrupt");
                var path = GrainStatePaths.Of("counter", corrupt.GetGrainId());
                var store = new FileBlobStore(root, "grainstate");
                await store.EnsureCreatedAsync(TestContext.CancellationToken);
                await store.WriteAsync(path, "{\"Value\": tru"u8.ToArray(), WriteCondition.None, TestContext.CancellationToken);

                // The silo wraps the provider's exception into the failed call's, as the inner one.
                var e = await Assert.ThrowsAsync<OrleansException>(() => corrupt.GetAsync());
                Assert.IsInstanceOfType<InvalidDataException>(e.InnerException);
                StringAssert.Contains(e.InnerException.Message, $"'{path}'");

                Assert.AreEqual(1, await grains.GetGrain<ICounterGrain>("healthy").IncrementAsync());
            }
            finally
            {
                await StopAsync(silo);
            }
        }
        finally
        {
            if (Directory.Exists(root)) Directory.Delete(root, recursive: true);
        }
    }
}
