using MetaRl.Learning.Environments;

namespace MetaRl.Learning.Algorithms.Meta;

/// <summary>
/// E-MAML (Stadie et al. 2018): MAML whose objective also credits the pre-update sampling
/// distribution for the post-update return, so that the policy learns to explore for the sake of
/// adaptation. Per task the surrogate gains −R̃_post · mean(log π_θ(a_pre|s_pre)), R̃_post the task's
/// post-update return normalised across the meta-batch. Everything else is <see cref="Maml"/>.
/// </summary>
public static class EMaml
{
    public static Maml Create(IRlTaskFamily family, RlLearnerOptions options, TrpoOptions trpo, ulong seed, double explorationWeight = 1.0) =>
        new(family, options, trpo, seed, explorationWeight);
}
