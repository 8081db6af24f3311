using System.Net;
using System.Net.Sockets;
using MetaRl.Grains.Hosting;
using MetaRl.Testing;

namespace MetaRl.Integration.Tests;

/// <summary>
/// metarl-silo given hostile settings, as real processes: each refused before anything starts with
/// one line naming the setting (values sanitised, secrets hidden) and exit code 2, the folders it
/// would write exactly as they were; a failure inside the host is one line too and lets go of the folder.
/// </summary>
[TestClass]
[DoNotParallelize]
public sealed class SiloHostileSettingsTests
{
    private const string Secret = "s3cr3t*not*base64";

    private sealed record Case(string Name, Dictionary<string, string> Settings, string[] Args, string[] Expected, string[] Absent);

    [TestMethod]
    [Timeout(300_000, CooperativeCancellation = true)]
    public void Every_hostile_setting_is_one_line_and_exit_2_and_nothing_is_written()
    {
        var folder = Sweeps.TempFolder("hostile-silo");
        var data = Path.Combine(folder, "data");
        Dictionary<string, string> Local() => new() { ["DATA"] = data };
        Dictionary<string, string> Azure(string connectionString) => new() { ["STORAGE"] = "azure", ["AZURE_CONNECTION_STRING"] = connectionString, ["DATA"] = data };
        string closed = $"http://127.0.0.1:{FreePort.Pick()}/devstoreaccount1";
        using var busy = new TcpListener(IPAddress.Loopback, 0);
        busy.Start();
        int busyPort = ((IPEndPoint)busy.LocalEndpoint).Port;

        Case[] cases =
        [
            new("shutdown", Local(), ["--Silo:ShutdownTimeout=forever"], ["Silo:ShutdownTimeout 'forever' is invalid; allowed: a duration"], []),
            new("shutdown-range", Local(), ["--Silo:ShutdownTimeout=100.00:00:00"], ["Silo:ShutdownTimeout 100.00:00:00 is invalid; allowed: 00:00:01–1.00:00:00"], []),
            new("cluster-id", Local(), ["--Cluster:ClusterId="], ["Cluster:ClusterId '' is invalid; allowed:"], []),
            new("garbage", Azure($"garbage{Secret}"), [], ["connection string (METARL_AZURE_CONNECTION_STRING", "is invalid: it is not a list of name=value pairs"], [Secret]),
            new("key", Azure($"DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey={Secret};BlobEndpoint={closed};TableEndpoint={closed}"), [],
                ["is invalid: its AccountKey is not Base-64", "AccountKey=(hidden)"], [Secret]),
            new("no-key", Azure($"DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;BlobEndpoint={closed};TableEndpoint={closed}"), [],
                ["is invalid: it has an AccountName but no AccountKey"], []),
            new("unreachable", Azure($"DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=QUJDRA==;BlobEndpoint={closed};TableEndpoint={closed}"), [],
                [$"METARL_AZURE_CONNECTION_STRING: storage at {closed} (blob service) did not answer"], ["QUJDRA=="]),
            new("proc", new() { ["DATA"] = "/proc/metarl-hostile" }, [], ["METARL_DATA (Storage:LocalPath) '/proc/metarl-hostile' is under /proc"], []),
            new("escape", Local(), ["--Cluster:SiloName=../../../x"], ["Cluster:SiloName '../../../x' is invalid; allowed: 1–64 letters, digits"], []),
            new("control", Local(), ["--Cluster:SiloName=red\u001b[31mname"], ["Cluster:SiloName 'red\\x1B[31mname' is invalid"], ["\u001b"]),
            new("telemetry", Local(), ["--Cluster:TelemetryPath=/proc/self/metarl.jsonl"], ["Cluster:TelemetryPath '/proc/self/metarl.jsonl' is under /proc"], []),
            new("port", Local(), [$"--Cluster:SiloPort={busyPort}"], [$"Cluster:SiloPort {busyPort} is invalid: 127.0.0.1:{busyPort} is in use"], []),
        ];

        var before = Snapshot(folder);
        var silos = cases.Select(c => (Case: c, Silo: SiloProcess.Start($"hostile-{c.Name}", folder, c.Settings, c.Args))).ToList();
        try
        {
            foreach (var (c, silo) in silos)
            {
                Assert.IsTrue(silo.WaitForExit(TimeSpan.FromSeconds(120)), $"{c.Name}: still running\n{silo.Tail()}");
                var output = silo.Output;
                Assert.AreEqual(2, silo.ExitCode, $"{c.Name}:\n{silo.Tail()}");
                Assert.HasCount(1, output, $"{c.Name}: one line\n{silo.Tail()}");
                StringAssert.StartsWith(output[0], "metarl-silo: ", c.Name);
                foreach (var expected in c.Expected) StringAssert.Contains(output[0], expected, c.Name);
                foreach (var absent in c.Absent) Assert.IsFalse(output[0].Contains(absent, StringComparison.Ordinal), $"{c.Name}: '{absent}' shown:\n{output[0]}");
            }
        }
        finally
        {
            foreach (var (_, silo) in silos) silo.Dispose();
        }
        CollectionAssert.AreEqual(before, Snapshot(folder), "no folder, lock or telemetry file was created");
        Assert.IsFalse(Directory.Exists(data));
    }

    [TestMethod]
    [Timeout(180_000, CooperativeCancellation = true)]
    public void A_silo_that_fails_inside_the_host_says_so_in_one_line_and_lets_go_of_the_folder()
    {
        var folder = Sweeps.TempFolder("failing-silo");
        var data = Path.Combine(folder, "data");
        Directory.CreateDirectory(data);
        File.WriteAllText(Path.Combine(data, "metarl"), "a file where the container's folder goes");
        using (var silo = SiloProcess.Start("failing", folder, new Dictionary<string, string> { ["DATA"] = data }))
        {
            Assert.IsTrue(silo.WaitForExit(TimeSpan.FromSeconds(120)), silo.Tail());
            Assert.AreEqual(1, silo.ExitCode, silo.Tail());
            var ours = silo.Output.Where(l => l.StartsWith("metarl-silo: ", StringComparison.Ordinal)).ToList();
            Assert.HasCount(1, ours, silo.Tail());
            StringAssert.Contains(ours[0], "metarl-silo: the silo did not start: IOException");
            Assert.IsTrue(silo.Output[^1].StartsWith("metarl-silo: ", StringComparison.Ordinal), "the last line says why:\n" + silo.Tail());
        }
        Assert.IsNull(LocalSilo.Find(data), "the folder is let go: no silo is published, the lock is free");
        Assert.IsFalse(File.Exists(Path.Combine(data, "local-silo.json")));
    }

    private static List<string> Snapshot(string folder) =>
        Directory.EnumerateFileSystemEntries(folder, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal).ToList();
}
