namespace MetaRl.Client;

/// <summary>Bad input from the user (argument, option, spec field): reported with exit code 2, nothing written.</summary>
public sealed class UsageException(string message) : Exception(message);
