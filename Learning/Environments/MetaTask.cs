using System.Globalization;

namespace MetaRl.Learning.Environments;

/// <summary>
/// One task of a family: its latent coordinates (what the robust sampler works on) and the
/// physical parameters they map to (what the environment uses), named as the family names them.
/// </summary>
public sealed record MetaTask(string Family, double[] Latent, double[] Parameters, string[] ParameterNames)
{
    public double this[string parameter]
    {
        get
        {
            int i = Array.IndexOf(ParameterNames, parameter);
            return i >= 0 ? Parameters[i] : throw new KeyNotFoundException($"task of {Family} has no parameter '{parameter}'");
        }
    }

    public override string ToString() =>
        $"{Family}[{string.Join(", ", ParameterNames.Select((n, i) => $"{n}={Parameters[i].ToString("G6", CultureInfo.InvariantCulture)}"))}]";
}
