using MetaRl.Testing;

namespace MetaRl.Integration.Tests;

/// <summary>metarl-silo with settings of the wrong kind or out of range: one line each, exit 2, nothing started or written.</summary>
[TestClass]
[DoNotParallelize]
public sealed class SiloSettingsTests
{
    [TestMethod]
    [Timeout(120_000, CooperativeCancellation = true)]
    public void Bad_settings_are_named_one_line_each_and_the_silo_starts_nothing()
    {
        var folder = Sweeps.TempFolder("badsilo");
        var data = Path.Combine(folder, "data");
        var settings = new Dictionary<string, string>
        {
            ["DATA"] = data,
            ["SILO__COREBUDGET"] = "abc",
            ["SILO__CHECKPOINTINTERVAL"] = "soon",
            ["CLUSTER__SILOPORT"] = "99999",
        };
        using var silo = SiloProcess.Start("bad", folder, settings, ["--Silo:KeepCheckpoints=1"]);
        Assert.IsTrue(silo.WaitForExit(TimeSpan.FromSeconds(60)), silo.Tail());
        Assert.AreEqual(2, silo.ExitCode, silo.Tail());
        var output = string.Join("\n", silo.Output);
        StringAssert.Contains(output, "Silo:CoreBudget 'abc' is invalid; allowed: an integer");
        StringAssert.Contains(output, "Silo:CheckpointInterval 'soon' is invalid; allowed: a duration such as 00:00:30");
        StringAssert.Contains(output, "Cluster:SiloPort 99999 is invalid");
        Assert.IsFalse(output.Contains("   at ", StringComparison.Ordinal), "no stack trace:\n" + output);
        Assert.IsFalse(Directory.Exists(data), "nothing written");

        // A value of the right kind but out of range, alone.
        using var second = SiloProcess.Start("bad2", folder, new Dictionary<string, string> { ["DATA"] = data }, ["--Silo:KeepCheckpoints=1"]);
        Assert.IsTrue(second.WaitForExit(TimeSpan.FromSeconds(60)), second.Tail());
        Assert.AreEqual(2, second.ExitCode, second.Tail());
        StringAssert.Contains(string.Join("\n", second.Output), "Silo:KeepCheckpoints 1 is invalid; allowed: 2 or more");
        Assert.IsFalse(Directory.Exists(data), "nothing written");
    }
}
