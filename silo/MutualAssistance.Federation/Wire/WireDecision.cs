using System.Text.Json.Serialization;
using MutualAssistance.Contracts.Requests;
using MutualAssistance.Domain.Federation;

namespace MutualAssistance.Federation.Wire;

/// <summary><c>ma-exchange/1</c>: the ordering node's decision on a command (<see cref="PeerCommandDecision"/>), in a <c>decision</c> and as the state's <c>lastPeerCommand</c>.</summary>
public sealed record WireDecision
{
    [JsonPropertyName("sequence")] public required int Sequence { get; init; }
    [JsonPropertyName("outcome")] public required ActionOutcome Outcome { get; init; }
    [JsonPropertyName("detail")] public string? Detail { get; init; }
    [JsonPropertyName("recordedAt")] public required int RecordedAt { get; init; }

    public static WireDecision ToWire(PeerCommandDecision decision) => new()
    {
        Sequence = decision.Sequence,
        Outcome = decision.Outcome,
        Detail = decision.Detail,
        RecordedAt = decision.RecordedAt,
    };

    public PeerCommandDecision ToDomain() => new() { Sequence = Sequence, Outcome = Outcome, Detail = Detail, RecordedAt = RecordedAt };
}
