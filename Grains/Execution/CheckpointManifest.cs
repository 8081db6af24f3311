namespace MetaRl.Grains.Execution;

/// <summary>
/// A checkpoint's table of contents, written after its parts and before the run state points at
/// it: each part's length and sha256 (a truncated or corrupted part is detected and the previous
/// checkpoint used), and the metric lines of the iterations it commits (so that a new activation can
/// append any that the previous one did not get to write).
/// </summary>
public sealed record CheckpointManifest
{
    public int Iteration { get; init; }
    public List<CheckpointPart> Parts { get; init; } = [];
    public long EnvironmentSteps { get; init; }

    /// <summary>Metrics blob length before this checkpoint's lines.</summary>
    public long MetricsOffset { get; init; }

    /// <summary>The metric lines (JSON) of the iterations since the previous checkpoint.</summary>
    public List<string> MetricLines { get; init; } = [];

    /// <summary>CEM history blob length before this checkpoint's records, and the records (JSON lines) of the updates since the previous one.</summary>
    public long CemHistoryOffset { get; init; }
    public List<string> CemHistoryLines { get; init; } = [];

    public string WrittenBy { get; init; } = "";
    public DateTimeOffset Written { get; init; }
}

public sealed record CheckpointPart(string Name, long Length, string Sha256);
