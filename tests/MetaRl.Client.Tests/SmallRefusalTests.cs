using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using MetaRl.Learning.Common;

namespace MetaRl.Client.Tests;

/// <summary>
/// Inputs that used to be accepted, replaced or half-done without a word: each is refused with exit 2
/// and a one-line message naming the argument or field and what is allowed, and nothing is written.
/// </summary>
[TestClass]
[DoNotParallelize]
public sealed class SmallRefusalTests
{
    private static string? _model;
    private static string _dir = "";

    /// <summary>One small Sine model, trained once for the class.</summary>
    private static async Task<string> ModelAsync()
    {
        if (_model is not null) return _model;
        _dir = InProcessConsole.TempDir();
        var path = Path.Combine(_dir, "sine.bin");
        var (code, _, err) = await InProcessConsole.RunAsync("train", "--family", "Sine", "--learner", "maml", "--iterations", "2", "--meta-batch", "4",
            "--test-tasks", "8", "--validation-tasks", "4", "--validate-every", "1", "--save-model", path);
        Assert.AreEqual(0, code, err);
        return _model = path;
    }

    private static string Hash(string file) => Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(file)));

    private static void AssertRefused((int Code, string Out, string Err) result, string named, string what)
    {
        Assert.AreEqual(2, result.Code, $"{what}:\n{result.Out}\n{result.Err}");
        StringAssert.Contains(result.Err, named, what);
        Assert.IsFalse(result.Err.Contains("internal error", StringComparison.Ordinal), $"{what}: {result.Err}");
        Assert.AreEqual(1, result.Err.TrimEnd('\n').Split('\n').Length, $"{what}: one line:\n{result.Err}");
    }

    /// <summary>A copy of the model file with its archive entries changed.</summary>
    private static string Rewrite(string model, string name, Func<TensorArchive.Entry, TensorArchive.Entry> change)
    {
        var archive = TensorArchive.FromBytes(File.ReadAllBytes(model));
        var copy = new TensorArchive();
        foreach (var e in archive.Entries) copy.Add(change(e));
        var path = Path.Combine(_dir, name);
        File.WriteAllBytes(path, copy.ToBytes());
        return path;
    }

    private static TensorArchive.Entry Bytes(string name, byte[] data) => new(name, TensorArchive.ElementType.UInt8, [data.Length], data);

    [TestMethod]
    public async Task Export_refuses_to_write_over_its_own_model_and_names_too_long_a_file_name()
    {
        var model = await ModelAsync();
        var before = Hash(model);
        AssertRefused(await InProcessConsole.RunAsync("export", "--model", model, "--pt", model), "--pt", "--pt = --model");
        var relative = Path.GetRelativePath(Environment.CurrentDirectory, model);
        AssertRefused(await InProcessConsole.RunAsync("export", "--model", model, "--pt", relative), "--pt", "--pt = --model, written otherwise");
        Assert.AreEqual(before, Hash(model), "the model is untouched");

        var longName = Path.Combine(_dir, new string('p', 300) + ".pt");
        var result = await InProcessConsole.RunAsync("export", "--model", model, "--pt", longName);
        AssertRefused(result, "--pt", "a 300-character file name");
        StringAssert.Contains(result.Err, "at most 255");
        Assert.AreEqual(1, Directory.GetFiles(_dir).Length, $"nothing else written: {string.Join(", ", Directory.GetFiles(_dir))}");

        // Just under the limit works, and leaves no partial file behind.
        var longest = Path.Combine(_dir, new string('q', 252) + ".pt");
        var ok = await InProcessConsole.RunAsync("export", "--model", model, "--pt", longest);
        Assert.AreEqual(0, ok.Code, ok.Err);
        Assert.IsTrue(File.Exists(longest));
        File.Delete(longest);
        Assert.AreEqual(1, Directory.GetFiles(_dir).Length);
    }

    [TestMethod]
    public async Task Evaluate_refuses_noise_levels_for_a_family_without_noise()
    {
        var model = await ModelAsync();
        var result = await InProcessConsole.RunAsync("evaluate", "--model", model, "--noise", "0.5", "--test-tasks", "4");
        AssertRefused(result, "--noise", "--noise on Sine");
        StringAssert.Contains(result.Err, "Khazad-Dum");
        Assert.AreEqual("", result.Out, "no evaluation was done");
    }

    [TestMethod]
    public async Task A_model_whose_spec_has_an_unknown_or_undecodable_field_name_is_refused()
    {
        var model = await ModelAsync();
        var unknown = Rewrite(model, "unknown.bin", e =>
        {
            if (e.Name != "spec") return e;
            var spec = JsonNode.Parse(e.Data)!.AsObject();
            spec["Bogus"] = 1;
            return Bytes("spec", Encoding.UTF8.GetBytes(spec.ToJsonString()));
        });
        var result = await InProcessConsole.RunAsync("evaluate", "--model", unknown, "--test-tasks", "4");
        AssertRefused(result, "Bogus", "an unknown field");
        StringAssert.Contains(result.Err, "--model");

        var undecodable = Rewrite(model, "utf8.bin", e =>
        {
            if (e.Name != "spec") return e;
            var text = e.Data.ToList();
            // {"\xFF\xFE": 1, ...}
            text.InsertRange(1, [(byte)'"', 0xFF, 0xFE, (byte)'"', (byte)':', (byte)'1', (byte)',']);
            return Bytes("spec", [.. text]);
        });
        AssertRefused(await InProcessConsole.RunAsync("evaluate", "--model", undecodable, "--test-tasks", "4"), "--model", "an invalid UTF-8 field name");
        AssertRefused(await InProcessConsole.RunAsync("export", "--model", unknown, "--pt", Path.Combine(_dir, "x.pt")), "Bogus", "export of an unknown field");
        Assert.IsFalse(File.Exists(Path.Combine(_dir, "x.pt")));
        File.Delete(unknown);
        File.Delete(undecodable);
    }

    [TestMethod]
    public async Task A_model_with_non_finite_weights_is_refused_naming_the_entry()
    {
        var model = await ModelAsync();
        var nan = Rewrite(model, "nan.bin", e =>
        {
            if (e.Name != "final") return e;
            var inner = TensorArchive.FromBytes(e.Data);
            var poisoned = new TensorArchive();
            foreach (var p in inner.Entries)
            {
                var data = (byte[])p.Data.Clone();
                if (p.Type == TensorArchive.ElementType.Float32) BitConverter.GetBytes(float.NaN).CopyTo(data, 0);
                poisoned.Add(p with { Data = data });
            }
            return Bytes("final", poisoned.ToBytes());
        });
        var result = await InProcessConsole.RunAsync("evaluate", "--model", nan, "--which", "final", "--test-tasks", "4");
        AssertRefused(result, "entry 'final' has non-finite values", "NaN weights");
        Assert.IsFalse(result.Out.Contains("NaN", StringComparison.Ordinal), result.Out);
        // The selected model in the same file is finite, and evaluates.
        var selected = await InProcessConsole.RunAsync("evaluate", "--model", nan, "--which", "selected", "--test-tasks", "4");
        Assert.AreEqual(0, selected.Code, selected.Err);
        File.Delete(nan);
    }

    [TestMethod]
    public async Task Summarize_refuses_a_number_that_overflows_naming_the_file_and_field()
    {
        var dir = InProcessConsole.TempDir();
        var file = InProcessConsole.Write(dir, "overflow.json", """
            {"summary":{"spec":{"family":"Sine","learner":"maml","method":"roml","alpha":0.2,"seed":1},"seconds":1,
              "best":{"mean":1e400,"cvar":0.5,"preMean":0.2,"preCvar":0.1},"final":{"mean":1,"cvar":0.5,"preMean":0.2,"preCvar":0.1}}}
            """);
        var result = await InProcessConsole.RunAsync("summarize", file);
        Assert.AreEqual(2, result.Code, result.Out + result.Err);
        StringAssert.Contains(result.Err, "overflow.json");
        StringAssert.Contains(result.Err, "summary.best.mean");
        Assert.IsFalse((result.Out + result.Err).Contains("Infinity", StringComparison.Ordinal), result.Out);
        Assert.IsFalse(result.Out.Contains('∞'), result.Out);
    }

    [TestMethod]
    public async Task A_sweeps_run_section_may_not_set_what_the_sweep_itself_sets()
    {
        var dir = InProcessConsole.TempDir();
        var data = Path.Combine(dir, "data");
        foreach (var (field, value, belongs) in new[]
                 {
                     ("iterations", "-1", "budget.iterations"), ("family", "\"Nonexistent\"", "sweep.family"), ("learner", "\"maml\"", "sweep.learner"),
                     ("method", "\"roml\"", "sweep.methods"), ("alpha", "0.3", "sweep.alpha"), ("seed", "7", "sweep.firstSeed"),
                 })
        {
            var spec = InProcessConsole.Write(dir, "spec.json", InProcessConsole.SmallSweep.Replace("NAME", "dup", StringComparison.Ordinal)
                .Replace("\"metaBatch\": 5", $"\"metaBatch\": 5, \"{field}\": {value}", StringComparison.Ordinal));
            foreach (var verb in new[] { "check", "submit" })
            {
                var result = await InProcessConsole.RunAsync("sweep", verb, spec, "--data", data);
                Assert.AreEqual(2, result.Code, $"run.{field} ({verb}):\n{result.Out}{result.Err}");
                StringAssert.Contains(result.Err, $"sweep.run.{field}", field);
                StringAssert.Contains(result.Err, belongs, field);
            }
        }
        Assert.IsFalse(Directory.Exists(Path.Combine(data, "grainstate", "sweep")), "nothing was stored");
    }
}
