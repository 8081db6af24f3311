namespace MetaRl.Learning.Algorithms.Supervised;

/// <summary>
/// Settings of the supervised meta-learners (sine regression as in MAML and RoML): a 1→40→40→1 ReLU
/// net, K = 10 support and 10 query points per task, 5 inner SGD steps at 0.01, Adam 1e-3 outside.
/// </summary>
public sealed record SupervisedOptions
{
    public int[] Hidden { get; init; } = [40, 40];
    public int SupportPoints { get; init; } = 10;
    public int QueryPoints { get; init; } = 10;
    public int InnerSteps { get; init; } = 5;
    public double InnerLearningRate { get; init; } = 0.01;
    public double OuterLearningRate { get; init; } = 1e-3;

    /// <summary>Reptile's ε (the step towards the adapted parameters).</summary>
    public double ReptileStepSize { get; init; } = 0.1;

    public IReadOnlyList<string> Validate()
    {
        var e = new List<string>();
        if (Hidden.Length == 0 || Hidden.Any(h => h < 1)) e.Add("supervised.hidden is invalid; allowed: one or more layer widths ≥ 1");
        if (SupportPoints < 1) e.Add($"supervised.supportPoints {SupportPoints} is invalid; allowed: an integer ≥ 1");
        if (QueryPoints < 1) e.Add($"supervised.queryPoints {QueryPoints} is invalid; allowed: an integer ≥ 1");
        if (InnerSteps < 1) e.Add($"supervised.innerSteps {InnerSteps} is invalid; allowed: an integer ≥ 1");
        if (!(InnerLearningRate > 0)) e.Add($"supervised.innerLearningRate {InnerLearningRate} is invalid; allowed: > 0");
        if (!(OuterLearningRate > 0)) e.Add($"supervised.outerLearningRate {OuterLearningRate} is invalid; allowed: > 0");
        if (!(ReptileStepSize > 0 && ReptileStepSize <= 1)) e.Add($"supervised.reptileStepSize {ReptileStepSize} is invalid; allowed: (0, 1]");
        return e;
    }
}
