using MutualAssistance.Domain.History;

namespace MutualAssistance.Domain.Federation;

/// <summary>The outcome of a received change, and this node's chain head after it (what the receipt carries).</summary>
[GenerateSerializer, Immutable]
[Alias("ma.ReceiveResult")]
public sealed record ReceiveResult
{
    [Id(0)] public required ReceiveOutcome Outcome { get; init; }
    [Id(1)] public required ChainHead Head { get; init; }
    [Id(2)] public string? Detail { get; init; }

    /// <summary>This node's event at the change's last sequence, once it has it (applied or already there).</summary>
    [Id(3)] public ChainHead? Committed { get; init; }
}
