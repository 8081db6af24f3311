namespace MetaRl.Learning.Robust;

/// <summary>
/// RoML's optional soft schedule: α_t = max(1 − (1 − α)·progress/0.8, α), starting from the mean
/// (α = 1) and reaching the target α at 80% of training.
/// </summary>
public static class AlphaSchedule
{
    public static double At(double alpha, double progress, bool soft)
    {
        Cvar.CheckAlpha(alpha);
        if (!soft) return alpha;
        return Math.Max(1 - (1 - alpha) * Math.Clamp(progress, 0, 1) / 0.8, alpha);
    }
}
