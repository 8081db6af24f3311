namespace MetaRl.Client.Cluster;

/// <summary>What a command needs of the cluster.</summary>
public enum ConnectMode
{
    /// <summary>Read or change live state. Local storage with no running embedded silo: a silo that does not train is co-hosted for the command.</summary>
    Query,

    /// <summary>Train (`sweep run`). Local storage with no running embedded silo: a training silo is co-hosted, and other commands connect to it.</summary>
    Train,
}
