namespace MetaRl.Learning.Environments.MuJoCo;

/// <summary>What happened during a (frame-skipped) physics step. Values match the shim's result codes.</summary>
public enum StepOutcome
{
    /// <summary>The simulation advanced normally.</summary>
    Ok = 0,

    /// <summary>MuJoCo raised an error; the simulation state was reset. The episode must end.</summary>
    Error = 1,

    /// <summary>The state became non-finite or diverged (MuJoCo would have silently reset it). The episode must end.</summary>
    BadPhysics = 2,
}
