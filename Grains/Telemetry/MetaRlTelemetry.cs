using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace MetaRl.Grains.Telemetry;

/// <summary>
/// The project's OpenTelemetry sources (DESIGN.md §6). Spans: sweep.expand, grain.activate,
/// run.iteration, checkpoint.write, checkpoint.restore (and rollouts, from MetaRl.Learning).
/// Metrics: environment steps, iteration time, mean and CVaR score, CEM parameters, checkpoint bytes
/// and time. Exporting is the host's business (<see cref="TelemetryRegistration"/>).
/// </summary>
public static class MetaRlTelemetry
{
    public const string Prefix = "MetaRl.";
    public static readonly ActivitySource Grains = new("MetaRl.Grains");
    public static readonly Meter Meter = new("MetaRl.Training");

    public static readonly Counter<long> EnvironmentSteps = Meter.CreateCounter<long>("metarl.env_steps", "{step}", "Environment steps (or regression samples) consumed");
    public static readonly Histogram<double> IterationSeconds = Meter.CreateHistogram<double>("metarl.iteration.duration", "s", "Wall time of one meta-iteration");
    public static readonly Histogram<double> MeanScore = Meter.CreateHistogram<double>("metarl.score.mean", "{score}", "Mean post-adaptation score of an iteration's tasks");
    public static readonly Histogram<double> CvarScore = Meter.CreateHistogram<double>("metarl.score.cvar", "{score}", "CVaR_α of an iteration's post-adaptation scores");
    public static readonly Histogram<double> CemPhi = Meter.CreateHistogram<double>("metarl.cem.phi", "{phi}", "RoML's CEM parameters after each iteration (tag: dimension)");
    public static readonly Counter<long> CheckpointBytes = Meter.CreateCounter<long>("metarl.checkpoint.bytes", "By", "Bytes written by checkpoints");
    public static readonly Histogram<double> CheckpointSeconds = Meter.CreateHistogram<double>("metarl.checkpoint.duration", "s", "Wall time of writing one checkpoint");
    public static readonly Counter<long> Iterations = Meter.CreateCounter<long>("metarl.iterations", "{iteration}", "Meta-iterations completed");
}
