namespace MutualAssistance.Contracts.Federation;

/// <summary>Whether this node serves an authority's callers, this node's id, and the peer that serves them if another does.</summary>
[GenerateSerializer, Immutable]
[Alias("ma.NodeServing")]
public sealed record NodeServing
{
    [Id(0)] public required bool ServedHere { get; init; }
    [Id(1)] public required string NodeId { get; init; }
    [Id(2)] public string? ServingNode { get; init; }
}
