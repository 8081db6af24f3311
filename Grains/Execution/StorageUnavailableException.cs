namespace MetaRl.Grains.Execution;

/// <summary>Storage kept failing for longer than a run waits for it.</summary>
public sealed class StorageUnavailableException(string message, Exception inner) : Exception(message, inner);
