using MutualAssistance.Contracts.Requests;

namespace MutualAssistance.Domain.Federation;

/// <summary>
/// What the ordering node decided on a <see cref="PeerCommand"/>: applied, or refused (and why), and the event that
/// records it. Kept in the request's state, so a command sent again gets the same answer.
/// </summary>
[GenerateSerializer, Immutable]
[Alias("ma.PeerCommandDecision")]
public sealed record PeerCommandDecision
{
    [Id(0)] public required int Sequence { get; init; }
    [Id(1)] public required ActionOutcome Outcome { get; init; }
    [Id(2)] public string? Detail { get; init; }

    /// <summary>The sequence of the event that records the decision.</summary>
    [Id(3)] public required int RecordedAt { get; init; }
}
