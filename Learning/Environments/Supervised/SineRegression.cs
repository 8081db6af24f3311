using MetaRl.Learning.Common;

namespace MetaRl.Learning.Environments.Supervised;

/// <summary>
/// "Sine": MAML's sine-wave regression. A task is y = amplitude·sin(frequency·x + phase), with three
/// unit latents mapped linearly to amplitude ∈ [0.1, 5], phase ∈ [0, 2π] and frequency ∈ [0.3, 3]
/// (uniform under the original distribution). Inputs are drawn uniformly from [−5, 5] (rounded to float).
/// </summary>
public sealed class SineRegression : ISupervisedTaskFamily
{
    public const string FamilyName = "Sine";
    public const double MinAmplitude = 0.1, MaxAmplitude = 5;
    public const double MinPhase = 0, MaxPhase = 2 * Math.PI;
    public const double MinFrequency = 0.3, MaxFrequency = 3;
    public const double MinInput = -5, MaxInput = 5;

    public string Name => FamilyName;

    public IReadOnlyList<LatentDimension> Latents { get; } =
        [LatentDimension.Unit("amplitude"), LatentDimension.Unit("phase"), LatentDimension.Unit("frequency")];

    public IReadOnlyList<string> ParameterNames { get; } = ["amplitude", "phase", "frequency"];

    public int InputSize => 1;

    public int OutputSize => 1;

    public double[] ToParameters(ReadOnlySpan<double> latent)
    {
        LatentGuard.Check(this, latent);
        return
        [
            MinAmplitude + (MaxAmplitude - MinAmplitude) * latent[0],
            MinPhase + (MaxPhase - MinPhase) * latent[1],
            MinFrequency + (MaxFrequency - MinFrequency) * latent[2],
        ];
    }

    /// <summary>The task's function at <paramref name="x"/>.</summary>
    public static double Evaluate(MetaTask task, double x) => task["amplitude"] * Math.Sin(task["frequency"] * x + task["phase"]);

    public void SampleBatch(MetaTask task, int count, RandomStream rng, Span<float> inputs, Span<float> targets)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        if (inputs.Length != count) throw new ArgumentException($"inputs holds {inputs.Length} values, a batch of {count} needs {count}", nameof(inputs));
        if (targets.Length != count) throw new ArgumentException($"targets holds {targets.Length} values, a batch of {count} needs {count}", nameof(targets));
        double amplitude = task["amplitude"], phase = task["phase"], frequency = task["frequency"];
        for (int i = 0; i < count; i++)
        {
            // The target is computed from the float the learner sees, so pairs agree to float precision.
            float x = (float)rng.NextUniform(MinInput, MaxInput);
            inputs[i] = x;
            targets[i] = (float)(amplitude * Math.Sin(frequency * x + phase));
        }
    }
}
