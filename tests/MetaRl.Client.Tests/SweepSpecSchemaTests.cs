using Json.Schema;
using MetaRl.Testing;

namespace MetaRl.Client.Tests;

/// <summary>docs/sweep-spec.schema.json: what `metarl sweep schema` prints, and it accepts the project's own specs and refuses wrong ones (JsonSchema.Net).</summary>
[TestClass]
[DoNotParallelize]
public sealed class SweepSpecSchemaTests
{
    private static string Published => Path.Combine(RepoPaths.Root, "docs", "sweep-spec.schema.json");

    private static async Task<string> SchemaFromTheConsoleAsync()
    {
        var old = Console.Out;
        var o = new StringWriter();
        Console.SetOut(o);
        try
        {
            Assert.AreEqual(0, await Cli.RunAsync(["sweep", "schema"]));
        }
        finally
        {
            Console.SetOut(old);
        }
        return o.ToString();
    }

    [TestMethod]
    public async Task The_published_schema_is_the_one_the_console_generates()
    {
        Assert.AreEqual(File.ReadAllText(Published).Trim(), (await SchemaFromTheConsoleAsync()).Trim(),
            "regenerate it: ./metarl sweep schema > docs/sweep-spec.schema.json");
    }

    [TestMethod]
    public void The_schema_accepts_every_example_spec_and_refuses_wrong_ones()
    {
        var schema = JsonSchema.FromText(File.ReadAllText(Published));
        var examples = Directory.GetFiles(Path.Combine(RepoPaths.Root, "experiments"), "*.json");
        Assert.IsTrue(examples.Length >= 2);
        foreach (var example in examples)
        {
            using var doc = System.Text.Json.JsonDocument.Parse(File.ReadAllText(example), new System.Text.Json.JsonDocumentOptions { CommentHandling = System.Text.Json.JsonCommentHandling.Skip });
            var result = schema.Evaluate(doc.RootElement, new EvaluationOptions { OutputFormat = OutputFormat.List });
            Assert.IsTrue(result.IsValid, $"{example}: {string.Join("; ", (result.Details ?? []).Where(d => d.Errors is not null).SelectMany(d => d.Errors!.Select(e => $"{d.InstanceLocation}: {e.Value}")))}");
        }
        foreach (var wrong in new[]
                 {
                     """{"name":"x","family":"Sine","learner":"maml","seeds":"3"}""",
                     """{"name":"x","family":"Sine","learner":"maml","seed":3}""",
                     """{"name":"x","family":"Sine","learner":"maml","run":{"trpo":{"maxKl":"NaN"}}}""",
                     """{"name":"x","family":"Sine","learner":"maml","run":{"metaBatchh":3}}""",
                     """{"name":"x","family":"Sine","learner":"maml","run":{"family":"Sine"}}""",
                     """{"name":"x","family":"Sine","learner":"maml","methods":null}""",
                     """{"family":"Sine","learner":"maml"}""",
                 })
        {
            using var doc = System.Text.Json.JsonDocument.Parse(wrong);
            Assert.IsFalse(schema.Evaluate(doc.RootElement).IsValid, wrong);
        }
    }
}
