using MetaRl.Learning.Algorithms.Policies;
using MetaRl.Learning.Environments;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace MetaRl.Learning.Algorithms.Recurrent;

/// <summary>
/// RL²'s policy (Duan et al. 2016): a GRU whose hidden state spans every episode of a trial on one
/// task, fed at each step the observation, the previous action (one-hot when discrete), the previous
/// reward and whether the previous step ended an episode; a policy head (categorical logits, or a
/// Gaussian mean with a state-independent log std) and a value head read the hidden state.
/// Initialised from the run's generator (PyTorch's default ranges).
/// </summary>
public sealed class RecurrentPolicy : nn.Module
{
    private readonly GRU gru;
    private readonly Linear policyHead;
    private readonly Linear valueHead;
    private readonly Parameter? logStd;

    public RecurrentPolicy(IRlTaskFamily family, int width, Generator generator) : base(nameof(RecurrentPolicy))
    {
        ObservationSize = family.ObservationSpace.Size;
        (Discrete, ActionCount) = family.ActionSpace switch
        {
            DiscreteSpace d => (true, d.Count),
            BoxSpace b => (false, b.Size),
            _ => throw new NotSupportedException($"RL² does not handle the action space {family.ActionSpace}"),
        };
        ActionSize = family.ActionSpace.Size;
        Width = width;
        InputSize = ObservationSize + ActionCount + 2;
        gru = nn.GRU(InputSize, width);
        policyHead = nn.Linear(width, ActionCount);
        valueHead = nn.Linear(width, 1);
        if (!Discrete) logStd = new Parameter(zeros(ActionCount));
        RegisterComponents();
        using (no_grad())
        {
            double g = 1.0 / Math.Sqrt(width);
            foreach (var p in gru.parameters()) p.uniform_(-g, g, generator);
            foreach (var layer in new[] { policyHead, valueHead })
            {
                layer.weight!.uniform_(-g, g, generator);
                layer.bias!.uniform_(-g, g, generator);
            }
        }
    }

    public int ObservationSize { get; }
    public bool Discrete { get; }

    /// <summary>Choices (discrete) or action dimensions (continuous).</summary>
    public int ActionCount { get; }

    /// <summary>Floats per action as the environment takes it (1 for a discrete index).</summary>
    public int ActionSize { get; }
    public int Width { get; }

    /// <summary>Per step: observation, previous action (one-hot if discrete), previous reward, previous done.</summary>
    public int InputSize { get; }

    /// <summary>Runs the GRU over inputs [T, B, InputSize] from hidden state h0 [1, B, Width] (zeros when null).</summary>
    public (Tensor Outputs, Tensor Hidden) Recur(Tensor inputs, Tensor? h0 = null)
    {
        if (inputs.dim() != 3 || inputs.shape[2] != InputSize)
            throw new ArgumentException($"inputs must be [steps, batch, {InputSize}], got [{string.Join(", ", inputs.shape)}]", nameof(inputs));
        var (outputs, hidden) = gru.call(inputs, h0);
        return (outputs, hidden);
    }

    /// <summary>The action distribution for GRU outputs [..., Width].</summary>
    public ActionDistribution Distribution(Tensor outputs) =>
        Discrete ? new CategoricalActions(policyHead.call(outputs)) : new GaussianActions(policyHead.call(outputs), logStd!.expand(outputs.shape[..^1].Append(ActionCount).ToArray()));

    /// <summary>The value estimate for GRU outputs [..., Width] (shape [...]).</summary>
    public Tensor Value(Tensor outputs) => valueHead.call(outputs).squeeze(-1);

    /// <summary>Writes one step's input features for an environment into <paramref name="row"/>.</summary>
    public void Input(ReadOnlySpan<float> observation, ReadOnlySpan<float> previousAction, float previousReward, bool previousDone, bool first, Span<float> row)
    {
        row.Clear();
        observation.CopyTo(row);
        if (!first)
        {
            if (Discrete) row[ObservationSize + (int)previousAction[0]] = 1;
            else previousAction.CopyTo(row[ObservationSize..]);
            row[ObservationSize + ActionCount] = previousReward;
            row[ObservationSize + ActionCount + 1] = previousDone ? 1 : 0;
        }
    }
}
