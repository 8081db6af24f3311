using System.Diagnostics;
using System.Text.Json;

namespace MetaRl.Testing;

/// <summary>What Chromium saw on a page: script and console errors, and each plot figure's rendering.</summary>
public sealed record PageCheck(string Title, List<string> Errors, List<PlotCheck> Plots);

public sealed record PlotCheck(string Id, int Width, int Height, int Drawn, bool Rendered);

/// <summary>
/// Debian's headless Chromium, driven by playwright-core (both installed by infra/bootstrap.sh):
/// infra/browser/check-page.mjs opens a local page, collects its errors, measures every
/// <c>figure.plot</c> and saves a full-page screenshot.
/// </summary>
public static class HeadlessBrowser
{
    public static string Script => Path.Combine(RepoPaths.Root, "infra", "browser", "check-page.mjs");

    public static PageCheck Check(string page, string screenshot, TimeSpan? timeout = null)
    {
        if (!File.Exists("/usr/bin/chromium")) throw new InvalidOperationException("/usr/bin/chromium is missing; run infra/bootstrap.sh (it installs Debian's chromium)");
        if (!Directory.Exists(Path.Combine(RepoPaths.Root, "infra", "browser", "node_modules", "playwright-core")))
            throw new InvalidOperationException("infra/browser/node_modules is missing; run infra/bootstrap.sh");
        var psi = new ProcessStartInfo("node") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = Path.GetDirectoryName(Script)! };
        psi.ArgumentList.Add(Script);
        psi.ArgumentList.Add(Path.GetFullPath(page));
        psi.ArgumentList.Add(Path.GetFullPath(screenshot));
        using var node = Process.Start(psi) ?? throw new InvalidOperationException("could not start node");
        var stdout = node.StandardOutput.ReadToEndAsync();
        var stderr = node.StandardError.ReadToEndAsync();
        if (!node.WaitForExit(timeout ?? TimeSpan.FromSeconds(90)))
        {
            node.Kill(entireProcessTree: true);
            throw new TimeoutException($"headless Chromium did not finish with {page}");
        }
        node.WaitForExit();
        if (node.ExitCode != 0) throw new InvalidOperationException($"check-page.mjs failed ({node.ExitCode}): {stderr.Result}");
        var line = stdout.Result.Split('\n', StringSplitOptions.RemoveEmptyEntries).Last();
        return JsonSerializer.Deserialize<PageCheck>(line, new JsonSerializerOptions(JsonSerializerDefaults.Web))!;
    }
}
