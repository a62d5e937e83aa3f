namespace MutualAssistance.Contracts.Requests;

/// <summary>
/// Why due times are recomputed (recorded in the history of each request whose due time moves), and the
/// declared-closure sequence the recomputation must see at least, so that a silo whose copy of the closures is
/// older catches up before it computes.
/// </summary>
[GenerateSerializer, Immutable]
[Alias("ma.Recalculation")]
public sealed record Recalculation
{
    [Id(0)] public required string Reason { get; init; }
    [Id(1)] public long ClosuresAtLeast { get; init; }
}
