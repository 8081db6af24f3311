using System.CommandLine;
using System.Runtime.InteropServices;
using System.Text.Json;
using MetaRl.Learning.Environments.MuJoCo;
using MetaRl.Learning.Common;
using static TorchSharp.torch;
using MetaRl.Storage;

namespace MetaRl.Client.Commands;

/// <summary>
/// `metarl doctor`: checks that everything a silo needs is present and working — the .NET runtime,
/// libtorch (and the BLAS and thread count it uses), MuJoCo, and the configured storage — and says
/// what to run when something is missing.
/// </summary>
public static class DoctorCommand
{
    public sealed record Check(string Name, bool Ok, string Detail);

    public static Command Create()
    {
        var command = new Command("doctor", "Check the runtime, native libraries and storage; exit 1 when something is missing");
        command.SetAction(async (parse, ct) =>
        {
            var storage = GlobalOptions.StorageFrom(parse);
            var checks = await RunAsync(storage, ct);
            if (parse.GetValue(GlobalOptions.Json))
                Console.WriteLine(JsonSerializer.Serialize(checks, new JsonSerializerOptions { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.CamelCase }));
            else
                Print(checks);
            return checks.All(c => c.Ok) ? Cli.ExitOk : Cli.ExitFailure;
        });
        return command;
    }

    public static async Task<IReadOnlyList<Check>> RunAsync(StorageOptions storage, CancellationToken ct)
    {
        var checks = new List<Check>
        {
            new(".NET", true, $"{RuntimeInformation.FrameworkDescription} on {RuntimeInformation.OSDescription} ({RuntimeInformation.ProcessArchitecture})"),
            new("machine", true, $"{Environment.ProcessorCount} cores, {GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / (1024.0 * 1024 * 1024):F1} GiB available"),
        };
        checks.AddRange(TorchChecks());
        checks.Add(MujocoCheck());
        var probe = await StorageProbe.CheckAsync(storage, ct);
        checks.Add(new Check($"storage ({storage.Provider})", probe.Reachable, probe.Detail));
        return checks;
    }

    private const string NativeHint = "run 'make build' (it runs infra/bootstrap.sh, which installs patchelf and libmujoco-dev, and restores TorchSharp with its libtorch)";

    private static IEnumerable<Check> TorchChecks()
    {
        string version;
        try
        {
            version = TorchRuntime.Version;
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException or BadImageFormatException or NotSupportedException or TypeInitializationException)
        {
            var message = (e.InnerException ?? e).Message.Split('\n')[0];
            return [new Check("libtorch", false, $"TorchSharp's libtorch does not load ({message}); {NativeHint}")];
        }
        var checks = new List<Check>();
        try
        {
            using var scope = NewDisposeScope();
            var x = tensor(new[] { 1f, 2f, 3f }, requires_grad: true);
            (x * x).sum().backward();
            var grad = x.grad!.data<float>().ToArray();
            bool ok = grad.SequenceEqual([2f, 4f, 6f]);
            checks.Add(new Check("libtorch", ok, $"{version} through TorchSharp {typeof(TorchSharp.torch).Assembly.GetName().Version}, {(TorchRuntime.CudaAvailable ? "CUDA available" : "CPU only (no CUDA in this build)")}, autograd {(ok ? "ok" : "WRONG: d(x²)/dx = " + string.Join(",", grad))}"));
        }
        catch (Exception e) when (e is ExternalException or InvalidOperationException or ArgumentException)
        {
            checks.Add(new Check("libtorch", false, $"{version} loads but fails: {e.Message}"));
        }
        var omp = Environment.GetEnvironmentVariable("OMP_NUM_THREADS");
        checks.Add(new Check("threads", true, $"{TorchRuntime.Threads} intra-op thread(s) per run, set by the project for determinism (OMP_NUM_THREADS={omp ?? "unset"})"));
        checks.Add(new Check("BLAS", true, TorchRuntime.Blas()));
        checks.Add(new Check("Scalars", ScalarDisposal.Problem is null, ScalarDisposal.Problem is null
            ? $"freed 2 s after disposal by libmetarl_scalars ({ScalarDisposal.Counts.Deferred} so far; docs/ARCHITECTURE.md, \"A TorchSharp race\")"
            : $"freed as TorchSharp ships it, exposed to its finalizer race: {ScalarDisposal.Problem}"));
        checks.Add(new Check("Debian 12 fix", true, TorchRuntime.DebianFixInUse
            ? "in use: TorchSharp's bridge in this build loads libmetarl_iosinit (system libstdc++ lacks GLIBCXX_3.4.32; infra/torchsharp-fix.sh)"
            : "not needed: TorchSharp's bridge loads as shipped"));
        return checks;
    }

    private static Check MujocoCheck()
    {
        try
        {
            var version = MjModel.Version;
            var path = MjModel.ShippedModelPath("pendulum.xml");
            using var model = MjModel.LoadFile(path);
            using var sim = new MjSimulation(model);
            var outcome = sim.Step([0.5], frameSkip: 100);
            return new Check("MuJoCo", outcome == StepOutcome.Ok,
                $"{version}, pendulum.xml loaded and stepped to t={sim.Time:F2}s ({outcome})");
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            return new Check("MuJoCo", false, $"the MuJoCo shim does not load ({e.Message.Split('\n')[0]}); {NativeHint}");
        }
        catch (MujocoException e)
        {
            return new Check("MuJoCo", false, e.Message);
        }
    }

    private static void Print(IReadOnlyList<Check> checks)
    {
        int width = checks.Max(c => c.Name.Length) + 2;
        foreach (var c in checks)
            Console.WriteLine($"{(c.Ok ? "ok     " : "MISSING")}  {c.Name.PadRight(width)}{c.Detail}");
        var failed = checks.Count(c => !c.Ok);
        Console.WriteLine(failed == 0 ? "doctor: everything is in place" : $"doctor: {failed} problem(s) above");
    }
}
