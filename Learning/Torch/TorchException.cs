namespace MetaRl.Learning.Torch;

/// <summary>A libtorch failure (shape mismatch, bad argument, autograd misuse) with libtorch's own message.</summary>
public sealed class TorchException : Exception
{
    public TorchException(string message) : base(string.IsNullOrEmpty(message) ? "libtorch reported an error without a message" : message)
    {
    }
}
