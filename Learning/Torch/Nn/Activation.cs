namespace MetaRl.Learning.Torch.Nn;

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
        Activation.Tanh => x.Tanh(),
        Activation.Relu => x.Relu(),
        Activation.Sigmoid => x.Sigmoid(),
        _ => throw new ArgumentOutOfRangeException(nameof(activation)),
    };
}
