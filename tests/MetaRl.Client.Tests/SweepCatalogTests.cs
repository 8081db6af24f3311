using static MetaRl.Client.Tests.ConsoleRuns;

namespace MetaRl.Client.Tests;

/// <summary>`sweep list` shows every stored sweep, also one whose submission stopped before the catalog heard of it.</summary>
[TestClass]
[DoNotParallelize]
public sealed class SweepCatalogTests
{
    [TestMethod]
    [Timeout(600_000, CooperativeCancellation = true)]
    public async Task A_stored_sweep_missing_from_the_catalog_is_listed_and_a_resubmission_records_it()
    {
        var dir = Directory.CreateTempSubdirectory("metarl-catalog-").FullName;
        var data = Path.Combine(dir, "data");
        var spec = Path.Combine(dir, "spec.json");
        File.WriteAllText(spec, """
            { "name": "unheard", "family": "Sine", "learner": "maml", "methods": ["baseline"], "seeds": 3,
              "budget": { "iterations": 3 }, "run": { "metaBatch": 5, "supervised": { "hidden": [8], "innerSteps": 1 } } }
            """);
        Assert.AreEqual(0, (await InProcessAsync("sweep", "submit", spec, "--data", data)).Code);
        // The submission interrupted right after storing the sweep: the catalog never heard of it.
        var catalog = Path.Combine(data, "grainstate", "sweepcatalog", "all", "catalog");
        File.Delete(catalog);

        var (code, list, err) = await InProcessAsync("sweep", "list", "--data", data);
        Assert.AreEqual(0, code, err);
        StringAssert.Contains(list, "unheard");
        StringAssert.Contains(list, "0/3");
        Assert.IsFalse(File.Exists(catalog), "listing writes nothing");

        (code, var submitted, err) = await InProcessAsync("sweep", "submit", spec, "--data", data);
        Assert.AreEqual(0, code, err);
        StringAssert.Contains(submitted, "3 runs submitted");
        StringAssert.Contains(File.ReadAllText(catalog), "\"unheard\"", "the resubmission recorded it");

        // A sweep indexed by a submission that stopped before storing it does not exist, and is not listed.
        var index = Path.Combine(data, "metarl", "sweeps");
        File.WriteAllText(Path.Combine(index, "never-stored"), "{}");
        (code, list, err) = await InProcessAsync("sweep", "list", "--data", data);
        Assert.AreEqual(0, code, err);
        Assert.IsFalse(list.Contains("never-stored", StringComparison.Ordinal), list);
        StringAssert.Contains(list, "unheard");
    }
}
