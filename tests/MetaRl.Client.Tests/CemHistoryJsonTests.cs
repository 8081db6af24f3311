using System.Text.Json;

namespace MetaRl.Client.Tests;

[TestClass]
public sealed class CemHistoryJsonTests
{
    [TestMethod]
    public async Task Cem_history_as_json_is_one_document_whose_records_carry_their_settings_and_latent_kinds()
    {
        var dir = InProcessConsole.TempDir();
        var data = Path.Combine(dir, "data");
        var spec = InProcessConsole.Write(dir, "spec.json", InProcessConsole.SmallSweep.Replace("NAME", "cemjson", StringComparison.Ordinal));
        var trained = await InProcessConsole.RunAsync("sweep", "run", spec, "--data", data, "--report-dir", Path.Combine(dir, "reports"));
        Assert.AreEqual(0, trained.Code, trained.Err + trained.Out);

        var shown = await InProcessConsole.RunAsync("grain", "show", "cem/cemjson-roml-a0.2-s1", "--history", "--json", "--data", data);
        Assert.AreEqual(0, shown.Code, shown.Err);
        using var document = JsonDocument.Parse(shown.Out); // one document, nothing after it
        var view = document.RootElement.GetProperty("view");
        Assert.AreEqual("cemjson-roml-a0.2-s1", view.GetProperty("runId").GetString());
        var history = document.RootElement.GetProperty("history").EnumerateArray().ToList();
        Assert.AreEqual(view.GetProperty("updates").GetInt32(), history.Count);
        Assert.IsTrue(history.Count > 0, "5 tasks per iteration, 3 iterations, batches of 10: at least one update");
        for (int i = 0; i < history.Count; i++)
        {
            var r = history[i];
            Assert.AreEqual(i, r.GetProperty("index").GetInt32());
            Assert.IsTrue(r.GetProperty("alpha").GetDouble() is > 0 and <= 1, "α at the update");
            Assert.AreEqual(0.2, r.GetProperty("minBatchUpdate").GetDouble(), "β");
            Assert.AreEqual(0.5, r.GetProperty("softUpdate").GetDouble(), "s");
            Assert.AreEqual(0.02, r.GetProperty("epsilon").GetDouble(), "ε");
            var kinds = r.GetProperty("kinds").EnumerateArray().Select(k => k.GetString()).ToList();
            Assert.AreEqual(view.GetProperty("phi").GetArrayLength(), kinds.Count, "one kind per latent dimension");
            CollectionAssert.AreEqual(view.GetProperty("kinds").EnumerateArray().Select(k => k.GetString()).ToList(), kinds);
        }
    }
}
