using MetaRl.Grains.Interfaces.State;

namespace MetaRl.Grains.Execution;

/// <summary>What a <see cref="RunTrainer"/> needs from the grain activation it trains in.</summary>
public interface IRunHost
{
    string RunId { get; }

    /// <summary>The run's state as last written (durable).</summary>
    RunState State { get; }

    /// <summary>This silo, as runs record their owner.</summary>
    string SiloName { get; }

    /// <summary>Unique to this activation: names its checkpoint folders.</summary>
    string ActivationTag { get; }

    IGrainFactory GrainFactory { get; }

    /// <summary>
    /// Applies <paramref name="change"/> to the state and writes it with the provider's ETag check,
    /// serialised with every other write of the activation; retries storage faults for up to
    /// <paramref name="retryFor"/>. Throws <see cref="Orleans.Storage.InconsistentStateException"/>
    /// when another activation wrote the state: this one is stale and must stop at once.
    /// </summary>
    Task WriteStateAsync(Func<RunState, RunState> change, TimeSpan retryFor);
}
