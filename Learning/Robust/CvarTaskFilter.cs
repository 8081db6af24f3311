namespace MetaRl.Learning.Robust;

/// <summary>
/// CVaR-ML's tail filtering: per batch, learn only from the tasks whose score is at or below the
/// batch's α-quantile (the other tasks get weight zero). Wastes 1 − α of the data, by design.
/// </summary>
public static class CvarTaskFilter
{
    /// <summary>Weights in {0, 1}: 1 for the ⌈α·n⌉ lowest scores (ties broken by task order).</summary>
    public static double[] Weights(IReadOnlyList<double> scores, double alpha)
    {
        int k = Cvar.TailCount(scores.Count, alpha);
        var weights = new double[scores.Count];
        foreach (var i in Enumerable.Range(0, scores.Count).OrderBy(i => scores[i]).ThenBy(i => i).Take(k)) weights[i] = 1;
        return weights;
    }
}
