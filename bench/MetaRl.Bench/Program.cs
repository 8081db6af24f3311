using MetaRl.Bench;

var benches = new Dictionary<string, Func<string[], int>>
{
    ["torch"] = TorchBench.Run,
    ["env"] = EnvBench.Run,
    ["train"] = TrainBench.Run,
    ["grains"] = a => GrainBench.RunAsync(a).GetAwaiter().GetResult(),
    ["console"] = ConsoleBench.Run,
    // One C# workload alone, for profiling: torch-one <workload> <reps> prints the median ms/iteration.
    // The sampler's policy decision alone: policy-one <rows> <reps> prints µs per row (HalfCheetah sizes, (64, 64) tanh).
    ["policy-one"] = a => TrainBench.PolicyOne(int.Parse(a[0], System.Globalization.CultureInfo.InvariantCulture), int.Parse(a[1], System.Globalization.CultureInfo.InvariantCulture)),
    ["torch-one"] = a => { TorchSharp.torch.set_num_threads(1); var t = TorchWorkloads.Run(a[0], int.Parse(a[1], System.Globalization.CultureInfo.InvariantCulture)); Console.WriteLine(Stats.Median(t) * 1000); return 0; },
};
if (args.Length == 0 || !benches.TryGetValue(args[0], out var run))
{
    Console.Error.WriteLine($"usage: metarl-bench <{string.Join("|", benches.Keys)}> [options]");
    return 2;
}
return run(args[1..]);
