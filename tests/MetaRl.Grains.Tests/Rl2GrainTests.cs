using System.Text.Json;
using MetaRl.Grains.Interfaces;
using MetaRl.Grains.Interfaces.Specs;

namespace MetaRl.Grains.Tests;

/// <summary>RL² and E-RL² runs in the grains: a run moved mid-training finishes exactly as an uninterrupted one.</summary>
[TestClass]
public sealed class Rl2GrainTests
{
    [TestMethod]
    [DataRow("rl2", "Krazy-World")]
    [DataRow("erl2", "Point-Robot")]
    [Timeout(240_000, CooperativeCancellation = true)]
    public async Task A_deactivated_recurrent_run_resumes_and_finishes_identically(string learner, string family)
    {
        await using var silos = await TestSilos.StartAsync();
        string name = $"{learner}-moved";
        var sweep = await silos.SubmitAsync(new SweepSpec
        {
            Name = name,
            Family = family,
            Learner = learner,
            Methods = ["roml"],
            Alpha = [0.5],
            Seeds = 1,
            Budget = new SweepBudget { Iterations = 24 },
            Evaluation = new SweepEvaluation { TestTasks = 4, ValidationTasks = 2, ValidateEvery = 8 },
            Resources = new SweepResources { Cores = 1 },
            Run = JsonDocument.Parse("""
                {"metaBatch": 2, "cem": {"batchSize": 4}, "rl2": {"width": 16, "trialsPerTask": 2, "epochs": 2, "minibatches": 2}}
                """).RootElement,
        });
        var runId = sweep.Runs[0].RunId;
        await silos.WaitForAsync(runId, v => v.State.Iteration >= 8);
        await silos.Cluster.DeactivateAsync(silos.Run(runId));
        await silos.Grains.GetGrain<ISweepGrain>(name).WakeAsync();
        await silos.WaitForSweepAsync(name);
        await silos.AssertMatchesReferenceAsync(runId);
        Assert.AreEqual(2, (await silos.Run(runId).GetAsync())!.State.Activations);
    }
}
