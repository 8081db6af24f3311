namespace MetaRl.Learning.Environments.KrazyWorld;

/// <summary>What a Krazy World tile does when the agent arrives on it (<see cref="KrazyWorldEnvironment"/>).</summary>
public enum KrazyTile
{
    /// <summary>Nothing (the start tile is a normal tile).</summary>
    Normal,

    /// <summary>Pays +1 the first time it is reached; afterwards it behaves, and looks, like a normal tile.</summary>
    Goal,

    /// <summary>Ends the episode.</summary>
    Death,

    /// <summary>The agent slides one more tile in the direction it moved.</summary>
    Ice,

    /// <summary>Adds energy on every arrival.</summary>
    Energy,

    /// <summary>Sends the agent to the other transporter of the pair.</summary>
    Transporter,
}
