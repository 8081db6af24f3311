namespace MetaRl.Grains.Interfaces.State;

/// <summary>
/// The CEM sampler grain's state: RoML's task distribution of a run as of its last committed
/// checkpoint — φ, φ0, the batch being scored, and φ after every update (the full per-sample
/// history, with selections, weights and scores, is in the cem-history append blob).
/// </summary>
[GenerateSerializer(GenerateFieldIds = GenerateFieldIds.PublicProperties), Alias("metarl.CemSamplerState")]
public sealed record CemSamplerState
{
    public string RunId { get; init; } = "";
    public int Iteration { get; init; }
    public string[] Latents { get; init; } = [];
    public string[] Kinds { get; init; } = [];
    public double[][] Phi { get; init; } = [];
    public double[][] Phi0 { get; init; } = [];
    public double Alpha { get; init; }
    public int PendingCount { get; init; }
    public int PendingScored { get; init; }
    public List<double[][]> PhiHistory { get; init; } = [];
    public int Updates { get; init; }
}
