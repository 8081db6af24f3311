namespace MetaRl.Grains.Execution;

/// <summary>The run's learning failed (not the infrastructure around it): recorded as the run's error, not retried.</summary>
public sealed class RunFailedException(string message, Exception inner) : Exception(message, inner);
