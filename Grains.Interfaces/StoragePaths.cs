namespace MetaRl.Grains.Interfaces;

/// <summary>
/// Where every grain's state lives in the container (docs/ARCHITECTURE.md, "Storage layout").
/// One place, so that the client, the grains and the silos agree.
/// </summary>
public static class StoragePaths
{
    public static string Sweep(string sweepId) => $"sweeps/{sweepId}/state.json";
    public const string SweepsPrefix = "sweeps/";

    public static string Run(string runId) => $"runs/{runId}/state.json";
    public static string RunControl(string runId) => $"runs/{runId}/control.json";
    public static string RunResult(string runId) => $"runs/{runId}/result.json";
    public static string RunMetrics(string runId) => $"runs/{runId}/metrics";
    public static string RunModel(string runId) => $"runs/{runId}/model.bin";
    public static string CheckpointPrefix(string runId) => $"runs/{runId}/checkpoints/";
    public static string Checkpoint(string runId, int iteration) => $"runs/{runId}/checkpoints/{iteration:D8}/";
    public static string CheckpointManifest(string runId, int iteration) => Checkpoint(runId, iteration) + "manifest.json";
    public static string CheckpointPart(string runId, int iteration, string part) => Checkpoint(runId, iteration) + part;
    public static string Cem(string runId) => $"runs/{runId}/cem.json";
    public static string CemHistory(string runId) => $"runs/{runId}/cem-history";
    public static string Task(string runId, string taskId) => $"runs/{runId}/tasks/{taskId}/state.json";
    public static string TasksPrefix(string runId) => $"runs/{runId}/tasks/";
    public static string TaskReplaySegment(string runId, string taskId, int segment) => $"runs/{runId}/tasks/{taskId}/replay/{segment:D6}";
    public static string Propensity(string runId, string taskId) => $"runs/{runId}/propensity/{taskId}.json";

    /// <summary>Marker blobs of runs waiting for a silo, by the hardware they need: listing one prefix is all a silo's claim loop reads.</summary>
    public static string RunnableMarker(string runId, bool gpu) => $"index/runnable/{(gpu ? "gpu" : "cpu")}/{runId}";
    public static string RunnablePrefix(bool gpu) => $"index/runnable/{(gpu ? "gpu" : "cpu")}/";

    public static string Silo(string siloId) => $"silos/{siloId}.json";
    public const string SilosPrefix = "silos/";
}
