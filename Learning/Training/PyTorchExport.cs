using System.Collections;
using System.Text.Json;
using MetaRl.Learning.Algorithms.Meta;
using MetaRl.Learning.Algorithms.Policies;
using MetaRl.Learning.Algorithms.Supervised;
using MetaRl.Learning.Nets;
using TorchSharp.PyBridge;
using static TorchSharp.torch;

namespace MetaRl.Learning.Training;

/// <summary>
/// A trained policy (or regression net) in PyTorch's own file format, written with TorchSharp.PyBridge:
/// <c>torch.load(path)</c> gives a dict whose "state_dict" loads into
/// <c>torch.nn.Sequential(Linear, activation, …, Linear)</c> built from "sizes" and the activations,
/// plus "log_std" for a Gaussian policy and the run's identity. docs/examples/load_policy.py does
/// exactly that; docs/FORMATS.md lists the keys.
/// </summary>
public static class PyTorchExport
{
    public const string Format = "metarl-pytorch/1";

    public static void Write(IMetaLearner learner, RunSpec spec, string which, Stream output)
    {
        var (kind, net, logStd) = learner switch
        {
            RlMetaLearner { Policy: GaussianMlpPolicy p } => ("gaussian_policy", p.Net, p.LogStd),
            RlMetaLearner { Policy: CategoricalMlpPolicy p } => ("categorical_policy", p.Net, (Tensor?)null),
            SupervisedMetaLearner s => ("regression", s.Net, null),
            _ => throw new NotSupportedException($"exporting a {learner.Name} model to PyTorch is not supported"),
        };
        using var scope = NewDisposeScope();
        var stateDict = new Dictionary<string, object>();
        // Sequential indices: Linear i sits at 2i, its activation at 2i + 1.
        for (int i = 0; i + 1 < net.Sizes.Count; i++)
        {
            stateDict[$"{2 * i}.weight"] = Copy(net.Parameters[2 * i]);
            stateDict[$"{2 * i}.bias"] = Copy(net.Parameters[2 * i + 1]);
        }
        var content = new Dictionary<string, object>
        {
            ["format"] = Format,
            ["kind"] = kind,
            ["sizes"] = new ArrayList(net.Sizes.Select(s => (object)(int)s).ToList()),
            ["hidden_activation"] = Name(net.Hidden),
            ["output_activation"] = Name(net.Output),
            ["state_dict"] = stateDict,
            ["which"] = which,
            ["family"] = spec.Family,
            ["learner"] = spec.Learner,
            ["method"] = spec.Method,
            ["alpha"] = spec.Alpha,
            ["seed"] = (long)spec.Seed,
            ["spec"] = JsonSerializer.Serialize(spec),
        };
        if (logStd is not null) content["log_std"] = Copy(logStd);
        PyTorchPickler.PickleStateDict(output, content, leaveOpen: true);
    }

    private static Tensor Copy(Tensor t) => t.detach().contiguous().clone();

    private static string Name(Activation a) => a switch
    {
        Activation.Identity => "identity",
        Activation.Tanh => "tanh",
        Activation.Relu => "relu",
        Activation.Sigmoid => "sigmoid",
        _ => throw new ArgumentOutOfRangeException(nameof(a)),
    };
}
