using MetaRl.Testing;
using System.Diagnostics;
using System.Text;
using MetaRl.Learning.Common;

namespace MetaRl.Learning.Tests.Nets;

/// <summary>
/// TorchSharp's native bridge is built against a libstdc++ with GLIBCXX_3.4.32; Debian 12's has 3.4.30.
/// The build applies infra/torchsharp-fix.sh to the bridge copy in each output folder exactly where the
/// system's libstdc++ lacks that version (never on a newer distribution), and these tests hold it to that.
/// </summary>
[TestClass]
public sealed class TorchRuntimeTests
{
    private static string Bridge => Path.Combine(AppContext.BaseDirectory, "runtimes", "linux-x64", "native", "libLibTorchSharp.so");

    private static bool SystemLibstdcxxHas(string version)
    {
        foreach (var path in new[] { "/usr/lib/x86_64-linux-gnu/libstdc++.so.6", "/lib/x86_64-linux-gnu/libstdc++.so.6" })
            if (File.Exists(path))
                return IndexOf(File.ReadAllBytes(path), Encoding.ASCII.GetBytes(version + "\0")) >= 0;
        Assert.Inconclusive("no system libstdc++.so.6 found");
        return false;
    }

    private static int IndexOf(byte[] haystack, byte[] needle) => haystack.AsSpan().IndexOf(needle);

    private static string Needed(string library)
    {
        var psi = new ProcessStartInfo("patchelf") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        psi.ArgumentList.Add("--print-needed");
        psi.ArgumentList.Add(library);
        using var p = Process.Start(psi)!;
        var output = p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        Assert.AreEqual(0, p.ExitCode, "patchelf --print-needed");
        return output;
    }

    [TestMethod]
    public void TorchSharp_Scalars_explicit_or_implicit_are_freed_after_a_grace_period_by_our_library()
    {
        Assert.IsNull(ScalarDisposal.Problem, ScalarDisposal.Problem);
        var before = ScalarDisposal.Counts.Deferred;
        using (var explicitScalar = TorchSharp.ScalarExtensionMethods.ToScalar(2.5))
        using (var scope = TorchSharp.torch.NewDisposeScope())
            _ = TorchSharp.torch.ones(3).add(TorchSharp.torch.ones(3), explicitScalar).sum().item<float>();
        Assert.AreEqual(before + 1, ScalarDisposal.Counts.Deferred, "an explicitly disposed Scalar goes through THSTorch_dispose_scalar of libmetarl_scalars");
        ImplicitScalars(100);
        GC.Collect();
        GC.WaitForPendingFinalizers();
        var after = ScalarDisposal.Counts;
        Assert.IsTrue(after.Deferred >= before + 1 + 100, $"the finalized implicit Scalars of tensor + tensor were deferred too ({after.Deferred - before - 1} of 100)");
        Assert.IsTrue(after.Waiting >= 100, "they wait out the grace period");
        // After it, the next disposal frees them (through TorchSharp's own dispose behind ours).
        Thread.Sleep(TimeSpan.FromSeconds(2.2));
        TorchSharp.ScalarExtensionMethods.ToScalar(1.0).Dispose();
        Assert.IsTrue(ScalarDisposal.Counts.Freed >= after.Freed + 101, $"freed after the grace period: {ScalarDisposal.Counts.Freed - after.Freed}");
    }

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private static void ImplicitScalars(int count)
    {
        using var scope = TorchSharp.torch.NewDisposeScope();
        var x = TorchSharp.torch.ones(4);
        for (int i = 0; i < count; i++) x = x + x; // alpha = 1: a Scalar made and dropped inside TorchSharp
        Assert.AreEqual(4 * Math.Pow(2, count), x.sum().item<float>(), 4 * Math.Pow(2, count) * 1e-6);
    }

    [TestMethod]
    public void OneMKL_chooses_its_kernels_by_instruction_set_and_they_compute_the_right_products()
    {
        Assert.IsTrue(MklCodePath.Active, MklCodePath.Problem);
        StringAssert.Contains(TorchRuntime.Blas(), "by instruction set");
        // Products at the sizes the learners use, against the same products in double precision.
        using var scope = TorchSharp.torch.NewDisposeScope();
        var g = new TorchSharp.torch.Generator(9);
        foreach (var (m, k, n) in new[] { (256, 341, 300), (256, 15, 45), (20, 64, 64), (1, 300, 6) })
        {
            var a = TorchSharp.torch.randn([m, k], generator: g);
            var b = TorchSharp.torch.randn([k, n], generator: g);
            var single = a.mm(b).to(TorchSharp.torch.float64);
            var exact = a.to(TorchSharp.torch.float64).mm(b.to(TorchSharp.torch.float64));
            double error = (single - exact).abs().max().item<double>();
            Assert.IsTrue(error < 1e-4 * Math.Sqrt(k), $"{m}×{k}·{k}×{n}: largest error {error}");
        }
    }

    [TestMethod]
    public void The_Debian_12_fix_is_in_use_exactly_where_the_system_libstdcxx_needs_it()
    {
        bool needed = !SystemLibstdcxxHas("GLIBCXX_3.4.32");
        Assert.AreEqual(needed, TorchRuntime.DebianFixInUse, $"system libstdc++ {(needed ? "lacks" : "has")} GLIBCXX_3.4.32");
        Assert.AreEqual(needed, Needed(Bridge).Contains("libmetarl_iosinit.so", StringComparison.Ordinal), "the bridge in this output folder");
        Assert.AreEqual(needed, File.Exists(Path.Combine(Path.GetDirectoryName(Bridge)!, "libmetarl_iosinit.so")));
    }

    [TestMethod]
    public void Applying_the_fix_again_changes_nothing()
    {
        var script = Path.Combine(RepoPaths.Root, "infra", "torchsharp-fix.sh");
        var before = File.ReadAllBytes(Bridge);
        var psi = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        psi.ArgumentList.Add(script);
        psi.ArgumentList.Add(Path.GetDirectoryName(Bridge)!);
        psi.ArgumentList.Add(Path.Combine(RepoPaths.Root, "Learning", "obj", "native"));
        using var p = Process.Start(psi)!;
        var err = p.StandardError.ReadToEnd() + p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        Assert.AreEqual(0, p.ExitCode, err);
        CollectionAssert.AreEqual(before, File.ReadAllBytes(Bridge), "a second application leaves the bridge as it was");
    }

}
