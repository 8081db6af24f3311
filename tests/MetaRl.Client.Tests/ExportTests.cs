using MetaRl.Testing;
using System.Diagnostics;
using System.Text.Json;
using MetaRl.Learning.Algorithms.Meta;
using MetaRl.Learning.Algorithms.Policies;
using MetaRl.Learning.Algorithms.Supervised;
using MetaRl.Learning.Training;
using static TorchSharp.torch;

namespace MetaRl.Client.Tests;

/// <summary>
/// `metarl export`: a trained model in PyTorch's format, loaded by Debian's python3-torch through the
/// documented example (docs/examples/load_policy.py), computes what the C# model computes.
/// </summary>
[TestClass]
[DoNotParallelize]
public sealed class ExportTests
{
    private const string Python = "/usr/bin/python3";

    private static async Task<(int Code, string Out, string Err)> RunAsync(params string[] args)
    {
        var (oldOut, oldErr) = (Console.Out, Console.Error);
        var (o, e) = (new StringWriter(), new StringWriter());
        Console.SetOut(o);
        Console.SetError(e);
        try
        {
            return (await Cli.RunAsync(args), o.ToString(), e.ToString());
        }
        finally
        {
            Console.SetOut(oldOut);
            Console.SetError(oldErr);
        }
    }

    private static async Task<string> TrainAsync(string dir, string family, string learner)
    {
        var model = Path.Combine(dir, $"{family}.bin");
        var (code, _, err) = await RunAsync("train", "--family", family, "--learner", learner, "--iterations", "2", "--meta-batch", "2",
            "--episodes-per-task", "2", "--test-tasks", "2", "--validation-tasks", "2", "--seed", "3", "--save-model", model);
        Assert.AreEqual(0, code, err);
        return model;
    }


    private static JsonElement PythonOutputs(string pt, float[][] rows)
    {
        var input = Path.ChangeExtension(pt, ".rows.json");
        File.WriteAllText(input, JsonSerializer.Serialize(rows));
        var psi = new ProcessStartInfo(Python) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        psi.ArgumentList.Add(Path.Combine(RepoPaths.Root, "docs", "examples", "load_policy.py"));
        psi.ArgumentList.Add(pt);
        psi.ArgumentList.Add(input);
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEnd();
        p.WaitForExit();
        Assert.AreEqual(0, p.ExitCode, $"load_policy.py: {stderr}");
        return JsonDocument.Parse(stdout.Result).RootElement;
    }

    private static float[][] Rows(int count, int width)
    {
        var rng = new Random(17);
        return Enumerable.Range(0, count).Select(_ => Enumerable.Range(0, width).Select(_ => (float)(rng.NextDouble() * 4 - 2)).ToArray()).ToArray();
    }

    private static void AssertClose(float[] expected, JsonElement actual, string what)
    {
        var values = actual.EnumerateArray().SelectMany(r => r.ValueKind == JsonValueKind.Array ? r.EnumerateArray() : new[] { r }.AsEnumerable()).Select(v => v.GetDouble()).ToArray();
        Assert.AreEqual(expected.Length, values.Length, what);
        for (int i = 0; i < values.Length; i++)
            Assert.AreEqual(expected[i], values[i], 1e-5 * Math.Max(1, Math.Abs(expected[i])), $"{what} element {i}");
    }

    [TestMethod]
    [DataRow("Point-Robot", "maml-trpo", DisplayName = "Gaussian policy (Point-Robot, MAML-TRPO)")]
    [DataRow("Khazad-Dum", "promp", DisplayName = "categorical policy (Khazad-Dum, ProMP)")]
    [DataRow("Sine", "maml", DisplayName = "regression net (Sine, MAML)")]
    public async Task Python_torch_loads_the_export_and_gets_the_same_outputs(string family, string learner)
    {
        var dir = Directory.CreateTempSubdirectory("metarl-export-").FullName;
        var model = await TrainAsync(dir, family, learner);
        var pt = Path.Combine(dir, "policy.pt");
        var (code, stdout, err) = await RunAsync("export", "--model", model, "--pt", pt);
        Assert.AreEqual(0, code, err);
        StringAssert.Contains(stdout, "policy.pt");

        var (_, loaded) = ModelFile.Load(File.ReadAllBytes(model), "selected");
        using (loaded)
        using (var scope = NewDisposeScope())
        {
            var net = loaded switch
            {
                RlMetaLearner rl => rl.Policy.Net,
                SupervisedMetaLearner s => s.Net,
                _ => throw new AssertFailedException($"unexpected learner {loaded.Name}"),
            };
            var rows = Rows(5, (int)net.Sizes[0]);
            var x = tensor(rows.SelectMany(r => r).ToArray(), [rows.Length, net.Sizes[0]]);
            float[] expected;
            using (no_grad()) expected = net.call(x).data<float>().ToArray();
            var python = PythonOutputs(pt, rows);
            AssertClose(expected, python.GetProperty("output"), "output");
            if (loaded is RlMetaLearner { Policy: GaussianMlpPolicy g })
                AssertClose(g.LogStd.data<float>().ToArray(), python.GetProperty("log_std"), "log_std");
            else
                Assert.IsFalse(python.TryGetProperty("log_std", out _));
        }
    }

    [TestMethod]
    public async Task Export_refuses_bad_input_with_exit_2_and_writes_nothing()
    {
        var dir = Directory.CreateTempSubdirectory("metarl-export-").FullName;
        var pt = Path.Combine(dir, "policy.pt");
        var (code, _, err) = await RunAsync("export", "--model", Path.Combine(dir, "missing.bin"), "--pt", pt);
        Assert.AreEqual(2, code);
        StringAssert.Contains(err, "--model");

        var notAModel = Path.Combine(dir, "junk.bin");
        File.WriteAllText(notAModel, "not a model");
        (code, _, err) = await RunAsync("export", "--model", notAModel, "--pt", pt);
        Assert.AreEqual(2, code);
        StringAssert.Contains(err, "not a tensor archive");

        var model = await TrainAsync(dir, "Sine", "maml");
        (code, _, err) = await RunAsync("export", "--model", model, "--pt", pt, "--which", "best");
        Assert.AreEqual(2, code);
        StringAssert.Contains(err, "allowed: selected, final");
        (code, _, err) = await RunAsync("export", "--model", model, "--pt", Path.Combine(dir, "no-such-folder", "policy.pt"));
        Assert.AreEqual(2, code);
        StringAssert.Contains(err, "--pt");
        Assert.IsFalse(File.Exists(pt), "nothing written");
        Assert.AreEqual(0, Directory.GetFiles(dir, "*.partial").Length);
    }
}
