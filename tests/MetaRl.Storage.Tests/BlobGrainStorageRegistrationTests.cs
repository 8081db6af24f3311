using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Orleans;
using Orleans.Hosting;
using Orleans.Runtime;
using Orleans.Storage;

namespace MetaRl.Storage.Tests;

/// <summary>The silo builder extensions, resolved from a real (not started) Orleans host's services.</summary>
[TestClass]
public sealed class BlobGrainStorageRegistrationTests
{
    public TestContext TestContext { get; set; } = null!;

    private static IHost BuildSilo(Action<ISiloBuilder> configure)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.UseOrleans(silo =>
        {
            silo.UseLocalhostClustering().UseSystemTextJsonGrainStorageSerializer();
            configure(silo);
        });
        return builder.Build();
    }

    [TestMethod]
    public async Task As_default_it_is_both_the_unkeyed_provider_and_the_one_keyed_Default_and_it_stores_in_the_folder()
    {
        var root = Path.Combine(Path.GetTempPath(), $"metarl-grainstate-{Guid.NewGuid():N}");
        try
        {
            using var host = BuildSilo(silo => silo.AddLocalFolderGrainStorageAsDefault(root).AddLocalFolderGrainStorage("checkpoints", root, "checkpoint-state"));
            var unkeyed = host.Services.GetRequiredService<IGrainStorage>();
            Assert.IsInstanceOfType<BlobGrainStorage>(unkeyed);
            Assert.AreSame(unkeyed, host.Services.GetRequiredKeyedService<IGrainStorage>("Default"));
            var named = host.Services.GetRequiredKeyedService<IGrainStorage>("checkpoints");
            Assert.AreNotSame(unkeyed, named);

            var grain = GrainId.Create("runexecutor", "r1");
            var state = new GrainState<List<int>>([1, 2, 3], null);
            await unkeyed.WriteStateAsync("state", grain, state, TestContext.CancellationToken);
            await named.WriteStateAsync("state", grain, new GrainState<List<int>>([4], null), TestContext.CancellationToken);
            Assert.IsTrue(File.Exists(Path.Combine(root, "grainstate", "runexecutor", "r1", "state")));
            Assert.AreEqual("[1,2,3]", await File.ReadAllTextAsync(Path.Combine(root, "grainstate", "runexecutor", "r1", "state"), TestContext.CancellationToken),
                "the silo's System.Text.Json serializer wrote it");
            Assert.AreEqual("[4]", await File.ReadAllTextAsync(Path.Combine(root, "checkpoint-state", "runexecutor", "r1", "state"), TestContext.CancellationToken));
        }
        finally
        {
            if (Directory.Exists(root)) Directory.Delete(root, recursive: true);
        }
    }

    [TestMethod]
    public void A_named_provider_alone_is_not_the_default()
    {
        using var host = BuildSilo(silo => silo.AddLocalFolderGrainStorage("checkpoints", Path.GetTempPath()));
        Assert.IsNotNull(host.Services.GetKeyedService<IGrainStorage>("checkpoints"));
        Assert.IsNull(host.Services.GetService<IGrainStorage>());
    }

    [TestMethod]
    public void A_container_name_the_stores_would_refuse_fails_at_configuration()
    {
        Assert.ThrowsExactly<ArgumentException>(() => BuildSilo(silo => silo.AddLocalFolderGrainStorageAsDefault(Path.GetTempPath(), "Grain_State")));
    }
}
