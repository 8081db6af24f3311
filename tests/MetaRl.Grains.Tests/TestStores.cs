using MetaRl.Grains.Interfaces.Specs;
using MetaRl.Storage;

namespace MetaRl.Grains.Tests;

/// <summary>A fresh local store per test, and small specs that train in a second or two.</summary>
public static class TestStores
{
    public static (IBlobStore Store, string Root) Local()
    {
        var root = Path.Combine(Path.GetTempPath(), $"metarl-grains-{Guid.NewGuid():N}");
        var store = new FileBlobStore(root, "metarl");
        store.EnsureCreatedAsync(CancellationToken.None).GetAwaiter().GetResult();
        return (store, root);
    }

    /// <summary>A sweep of tiny sine runs (16-unit net, 2 inner steps, 5 tasks per batch).</summary>
    public static SweepSpec TinySine(string name, int iterations = 12, int seeds = 2, string[]? methods = null, double[]? alpha = null) => new()
    {
        Name = name,
        Family = "Sine",
        Learner = "maml",
        Methods = methods ?? ["baseline", "roml"],
        Alpha = alpha ?? [0.2],
        Seeds = seeds,
        Budget = new SweepBudget { Iterations = iterations },
        Evaluation = new SweepEvaluation { TestTasks = 20, ValidationTasks = 8, ValidateEvery = 4 },
        Run = System.Text.Json.JsonDocument.Parse("""{"metaBatch": 5, "supervised": {"hidden": [16, 16], "innerSteps": 2}, "cem": {"batchSize": 10, "originalFraction": 0.2}}""").RootElement,
    };
}
