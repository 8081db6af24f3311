namespace MetaRl.Learning.Environments;

/// <summary>
/// Checks a latent vector against a family's latent dimensions before it is mapped to parameters.
/// A point outside the latent space means a sampler bug; mapping it anyway would quietly produce
/// tasks outside the family (negative noise, goals off the half circle), so it throws instead.
/// </summary>
internal static class LatentGuard
{
    public static void Check(ITaskFamily family, ReadOnlySpan<double> latent)
    {
        var dims = family.Latents;
        if (latent.Length != dims.Count)
            throw new ArgumentException($"{family.Name} has {dims.Count} latent dimensions, got {latent.Length} values", nameof(latent));
        for (int i = 0; i < latent.Length; i++)
        {
            double u = latent[i];
            bool valid = dims[i].Kind switch
            {
                LatentKind.UnitInterval => u >= 0 && u <= 1,
                LatentKind.Exponential => u >= 0 && double.IsFinite(u),
                LatentKind.Categorical => u >= 0 && u < dims[i].Categories && u == Math.Floor(u),
                _ => false,
            };
            if (!valid)
                throw new ArgumentOutOfRangeException(nameof(latent), u, $"{family.Name}: latent '{dims[i].Name}' ({dims[i].Kind}) cannot take this value");
        }
    }
}
