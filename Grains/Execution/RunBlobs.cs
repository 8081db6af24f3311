namespace MetaRl.Grains.Execution;

/// <summary>
/// Where a run's blobs live (everything that is not grain state: checkpoint parts and manifests,
/// metric lines, CEM history, results, the model, replay segments). One place, so that the grains,
/// the report and the tests agree.
/// </summary>
public static class RunBlobs
{
    public static string Metrics(string runId) => $"runs/{runId}/metrics";
    public static string CemHistory(string runId) => $"runs/{runId}/cem-history";
    public static string Result(string runId) => $"runs/{runId}/result.json";
    public static string Model(string runId) => $"runs/{runId}/model.bin";
    public static string CheckpointsPrefix(string runId) => $"runs/{runId}/checkpoints/";

    /// <summary>A checkpoint's folder name: its iteration, and the activation that wrote it (two activations never write into one folder).</summary>
    public static string CheckpointFolder(int iteration, string writer) => $"{iteration:D8}-{writer}";

    public static string Manifest(string runId, string folder) => $"{CheckpointsPrefix(runId)}{folder}/manifest.json";
    public static string Part(string runId, string folder, string part) => $"{CheckpointsPrefix(runId)}{folder}/{part}";
    public static string ReplaySegment(string runId, string taskId, long segment) => $"runs/{runId}/tasks/{taskId}/replay/{segment:D6}";
}
