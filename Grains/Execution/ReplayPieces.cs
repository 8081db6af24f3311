using MetaRl.Grains.Interfaces;
using MetaRl.Grains.Interfaces.State;
using MetaRl.Learning.Algorithms.Meta;
using MetaRl.Learning.Environments;

namespace MetaRl.Grains.Execution;

/// <summary>
/// Where a run's immutable state pieces live (MQL's sealed replay segments): each training task's
/// <see cref="ITaskGrain"/> ("{runId}.train-{task:D3}") keeps its segments as blobs. A checkpoint hands
/// over only the pieces not yet stored — the rest of the state lists them — so a checkpoint's cost
/// does not grow with the replay.
/// </summary>
public sealed class ReplayPieces(IGrainFactory grains, string runId)
{
    private readonly HashSet<(int Task, long Number)> _stored = new();
    private readonly HashSet<int> _created = new();

    public static string TaskId(int task) => $"train-{task:D3}";

    private ITaskGrain Grain(int task) => grains.GetGrain<ITaskGrain>($"{runId}.{TaskId(task)}");

    /// <summary>Pieces of <paramref name="pieces"/> not stored yet.</summary>
    public IReadOnlyList<StatePiece> Missing(IEnumerable<StatePiece> pieces) => pieces.Where(p => !_stored.Contains((p.Task, p.Number))).ToList();

    /// <summary>Stores one piece with its task's grain (creating the grain's record the first time); idempotent.</summary>
    public async Task StoreAsync(StatePiece piece, byte[] bytes, MetaTask owner, CancellationToken ct)
    {
        if (_created.Add(piece.Task))
        {
            await Grain(piece.Task).CreateAsync(new TaskState
            {
                RunId = runId,
                TaskId = TaskId(piece.Task),
                Role = "train",
                Family = owner.Family,
                Latent = owner.Latent,
                Parameters = owner.ParameterNames.Select((n, k) => (n, owner.Parameters[k])).ToDictionary(p => p.n, p => p.Item2),
            }, ct);
        }
        await Grain(piece.Task).PutReplaySegmentAsync(piece.Number, bytes, piece.Items, ct);
        _stored.Add((piece.Task, piece.Number));
    }

    /// <summary>Reads the listed pieces back (a missing one fails the restore, and an older checkpoint is tried).</summary>
    public async Task<Dictionary<StatePiece, byte[]>> FetchAsync(IReadOnlyList<StatePiece> pieces, CancellationToken ct)
    {
        var result = new Dictionary<StatePiece, byte[]>();
        foreach (var piece in pieces)
        {
            var bytes = await Grain(piece.Task).ReadReplaySegmentAsync(piece.Number, ct)
                ?? throw new InvalidDataException($"replay segment {piece.Number} of {TaskId(piece.Task)} is missing");
            result[piece] = bytes;
            _stored.Add((piece.Task, piece.Number));
            _created.Add(piece.Task);
        }
        return result;
    }
}
