using static TorchSharp.torch;

namespace MetaRl.Learning.Nets;

public enum Activation
{
    Identity,
    Tanh,
    Relu,
    Sigmoid,
}

public static class ActivationExtensions
{
    public static Tensor Apply(this Activation activation, Tensor x) => activation switch
    {
        Activation.Identity => x,
        Activation.Tanh => x.tanh(),
        Activation.Relu => nn.functional.relu(x),
        Activation.Sigmoid => x.sigmoid(),
        _ => throw new ArgumentOutOfRangeException(nameof(activation)),
    };
}
