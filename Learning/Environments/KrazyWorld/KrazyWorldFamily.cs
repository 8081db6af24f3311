namespace MetaRl.Learning.Environments.KrazyWorld;

/// <summary>
/// "Krazy-World" (E-MAML/E-RL²): per task a fresh 10×10 board, fresh tile colours and a fresh
/// action→direction mapping, so an agent has to explore to learn the rules before exploiting them.
/// One latent "board" u ∈ [0, 1] (uniform originally) gives the parameter "board_seed" =
/// min(⌊u·2³¹⌋, 2³¹ − 1), and the board is a pure function of that seed (<see cref="KrazyBoard.Generate"/>).
/// Dynamics and observation: <see cref="KrazyWorldEnvironment"/>.
/// </summary>
public sealed class KrazyWorldFamily : IRlTaskFamily
{
    public const string FamilyName = "Krazy-World";
    private const double SeedRange = 2147483648.0; // 2^31

    public KrazyWorldFamily()
    {
        var high = Enumerable.Repeat(1.0, KrazyWorldEnvironment.ObservationLength).ToArray();
        high[^1] = double.PositiveInfinity; // energy/11 grows with every energy tile visited
        ObservationSpace = new BoxSpace(new double[KrazyWorldEnvironment.ObservationLength], high);
    }

    public string Name => FamilyName;

    public IReadOnlyList<LatentDimension> Latents { get; } = [LatentDimension.Unit("board")];

    public IReadOnlyList<string> ParameterNames { get; } = ["board_seed"];

    public int Horizon => KrazyWorldEnvironment.EpisodeSteps;

    public BoxSpace ObservationSpace { get; }

    public Space ActionSpace { get; } = new DiscreteSpace(KrazyBoard.DirectionCount);

    public double[] ToParameters(ReadOnlySpan<double> latent)
    {
        LatentGuard.Check(this, latent);
        // u = 1 would give 2^31, one past the last seed.
        return [Math.Min(Math.Floor(latent[0] * SeedRange), SeedRange - 1)];
    }

    public IEnvironment CreateEnvironment(MetaTask task, ulong seed) => new KrazyWorldEnvironment(task, seed);
}
