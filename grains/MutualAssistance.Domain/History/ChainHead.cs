namespace MutualAssistance.Domain.History;

/// <summary>
/// The last link of a request's hash chain: the sequence and hash of its latest event. The stored state keeps the
/// head, not the history, so that a change links its events to the chain without reading it.
/// </summary>
[GenerateSerializer, Immutable]
[Alias("ma.ChainHead")]
public sealed record ChainHead
{
    public static readonly ChainHead Genesis = new() { Sequence = 0, Hash = HashChain.Genesis };

    [Id(0)] public required int Sequence { get; init; }
    [Id(1)] public required string Hash { get; init; }

    public static ChainHead Of(HistoryEntry entry) => new() { Sequence = entry.Sequence, Hash = entry.Hash };
}
