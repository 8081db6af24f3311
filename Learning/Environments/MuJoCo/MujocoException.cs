namespace MetaRl.Learning.Environments.MuJoCo;

/// <summary>A MuJoCo error (bad model, engine error) with MuJoCo's own message. The process carries on.</summary>
public sealed class MujocoException : Exception
{
    public MujocoException(string message) : base(string.IsNullOrEmpty(message) ? "MuJoCo reported an error without a message" : message)
    {
    }
}
