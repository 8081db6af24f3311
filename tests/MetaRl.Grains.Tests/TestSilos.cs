using System.Text.Json;
using MetaRl.Grains.Execution;
using MetaRl.Grains.Hosting;
using MetaRl.Grains.Interfaces;
using MetaRl.Grains.Interfaces.Specs;
using MetaRl.Grains.Interfaces.State;
using MetaRl.Learning.Common;
using MetaRl.Learning.Training;
using MetaRl.Storage;
using Microsoft.Extensions.Configuration;
using Orleans.TestingHost;

namespace MetaRl.Grains.Tests;

/// <summary>
/// An in-process Orleans test cluster of MetaRl silos over one temporary local data folder (grain
/// state through the local-folder grain storage, blobs in the same folder), each silo with its own
/// training settings; and what the tests compare against: a run done straight in this process.
/// </summary>
public sealed class TestSilos : IAsyncDisposable
{
    private TestSilos(InProcessTestCluster cluster, string data)
    {
        Cluster = cluster;
        Data = data;
        Blobs = new FileBlobStore(data, "metarl");
    }

    public InProcessTestCluster Cluster { get; }
    public string Data { get; }

    /// <summary>The data blobs (checkpoints, metrics, results) the silos write.</summary>
    public IBlobStore Blobs { get; }

    public IGrainFactory Grains => Cluster.Client;

    /// <summary>
    /// Starts <paramref name="silos"/> silos. <paramref name="settings"/> gives each silo (by index) its "Silo:*" settings;
    /// by default one core each and a checkpoint every two iterations.
    /// </summary>
    public static async Task<TestSilos> StartAsync(int silos = 1, Func<int, Dictionary<string, string?>>? settings = null)
    {
        var data = Path.Combine(Path.GetTempPath(), $"metarl-grains-{Guid.NewGuid():N}");
        Directory.CreateDirectory(data);
        var builder = new InProcessTestClusterBuilder((short)silos);
        builder.ConfigureSilo((options, silo) =>
        {
            int index = int.Parse(options.SiloName[(options.SiloName.LastIndexOf('_') + 1)..]);
            var values = new Dictionary<string, string?>
            {
                ["Silo:CoreBudget"] = "1",
                ["Silo:Gpus"] = "0",
                ["Silo:CheckpointEveryIterations"] = "2",
                ["Silo:CheckpointInterval"] = "00:10:00",
            };
            foreach (var (k, v) in settings?.Invoke(index) ?? []) values[k] = v;
            var configuration = new ConfigurationBuilder().AddInMemoryCollection(values).Build();
            silo.AddMetaRlGrains(configuration, _ => new FileBlobStore(data, "metarl"));
            silo.AddLocalFolderGrainStorageAsDefault(data);
            silo.UseInMemoryReminderService();
        });
        var cluster = builder.Build();
        await cluster.DeployAsync();
        return new TestSilos(cluster, data);
    }

    /// <summary>A sweep of small sine runs (16-unit net, 2 inner steps, 5 tasks per batch): well under a second per run.</summary>
    public static SweepSpec TinySine(string name, int iterations = 12, int seeds = 2, string[]? methods = null, double[]? alpha = null, bool gpu = false) => new()
    {
        Name = name,
        Family = "Sine",
        Learner = "maml",
        Methods = methods ?? ["baseline", "roml"],
        Alpha = alpha ?? [0.2],
        Seeds = seeds,
        Budget = new SweepBudget { Iterations = iterations },
        Evaluation = new SweepEvaluation { TestTasks = 20, ValidationTasks = 8, ValidateEvery = 4 },
        Resources = new SweepResources { Cores = 1, Gpu = gpu },
        Run = JsonDocument.Parse("""{"metaBatch": 5, "supervised": {"hidden": [16, 16], "innerSteps": 2}, "cem": {"batchSize": 10, "originalFraction": 0.2}}""").RootElement,
    };

    public async Task<SweepState> SubmitAsync(SweepSpec spec)
    {
        var result = await Grains.GetGrain<ISweepGrain>(spec.Name).SubmitAsync(spec);
        Assert.IsTrue(result.Accepted, $"{result.Outcome}: {string.Join("; ", result.Problems)}");
        return result.Sweep!;
    }

    public IMetaPolicyGrain Run(string runId) => Grains.GetGrain<IMetaPolicyGrain>(runId);

    public async Task<RunView> WaitForAsync(string runId, Func<RunView, bool> condition, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromMinutes(2));
        while (true)
        {
            var view = await Run(runId).GetAsync();
            if (view is not null && condition(view)) return view;
            if (DateTime.UtcNow > deadline) Assert.Fail($"timed out waiting for {runId}: {view?.State.Status} at {view?.State.Iteration} ({view?.Live.Activity} on {view?.Live.Silo})");
            await Task.Delay(20);
        }
    }

    public async Task<SweepState> WaitForSweepAsync(string sweepId, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromMinutes(3));
        while (true)
        {
            var state = await Grains.GetGrain<ISweepGrain>(sweepId).GetAsync();
            if (state?.Complete == true) return state;
            if (DateTime.UtcNow > deadline) Assert.Fail($"timed out waiting for sweep {sweepId}: {state?.Ended.Count}/{state?.Runs.Count} ended");
            await Task.Delay(50);
        }
    }

    /// <summary>The run done straight in this process: its metric lines and final parameters.</summary>
    public static (List<string> Lines, byte[] Parameters) Reference(RunState state)
    {
        var spec = JsonSerializer.Deserialize<RunSpec>(state.SpecJson, GrainJson.Options)!;
        using var run = new MetaTrainingRun(SweepExpansion.ForCores(spec, 1));
        var lines = new List<string>();
        while (!run.Done) lines.Add(JsonSerializer.Serialize(run.Step(), GrainJson.Options));
        return (lines, run.Learner.SaveParameters());
    }

    /// <summary>The run completed with every iteration recorded exactly once and the final parameters of an uninterrupted run.</summary>
    public async Task AssertMatchesReferenceAsync(string runId)
    {
        var view = (await Run(runId).GetAsync())!;
        Assert.AreEqual(RunStatus.Completed, view.State.Status, view.State.Error);
        var (lines, parameters) = Reference(view.State);
        var stored = await Run(runId).MetricsAsync(0);
        Assert.IsNull(stored.Problem, $"{runId}: the metric lines check out against the run's commit");
        var recorded = stored.Lines;
        CollectionAssert.AreEqual(lines, recorded, $"{runId}: every iteration recorded exactly once, as an uninterrupted run records it");
        var model = TensorArchive.FromBytes((await Blobs.ReadAsync(RunBlobs.Model(runId), CancellationToken.None))!.Content);
        CollectionAssert.AreEqual(parameters, model.GetBytes("final"), $"{runId}: final parameters");
        Assert.IsNotNull(await Blobs.ReadAsync(RunBlobs.Result(runId), CancellationToken.None));
    }

    public async Task<SiloView[]> SilosAsync()
    {
        var hosts = await Grains.GetGrain<IManagementGrain>(0).GetHosts(onlyActive: true);
        return await Task.WhenAll(hosts.Keys.Select(s => Grains.GetGrain<ISiloGrain>(s.ToParsableString()).GetAsync()));
    }

    public async ValueTask DisposeAsync()
    {
        await Cluster.StopAllSilosAsync();
        await Cluster.DisposeAsync();
        try
        {
            Directory.Delete(Data, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
