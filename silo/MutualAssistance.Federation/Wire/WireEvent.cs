using System.Collections.Immutable;
using System.Text.Json.Serialization;
using MutualAssistance.Contracts.Requests;
using MutualAssistance.Domain.History;

namespace MutualAssistance.Federation.Wire;

/// <summary>
/// <c>ma-exchange/1</c>: one event of a request's history (<see cref="HistoryEntry"/>), with the hashes that link it.
/// What else the domain may keep on an event stays on its node until a field for it is added here.
/// </summary>
public sealed record WireEvent
{
    [JsonPropertyName("sequence")] public required int Sequence { get; init; }
    [JsonPropertyName("at")] public required DateTimeOffset At { get; init; }
    [JsonPropertyName("event")] public required string Event { get; init; }
    [JsonPropertyName("actor")] public WireActor? Actor { get; init; }
    [JsonPropertyName("reason")] public string? Reason { get; init; }
    [JsonPropertyName("statusBefore")] public RequestStatus? StatusBefore { get; init; }
    [JsonPropertyName("statusAfter")] public required RequestStatus StatusAfter { get; init; }
    [JsonPropertyName("clockChanges")] public ImmutableArray<string> ClockChanges { get; init; } = [];
    [JsonPropertyName("previousHash")] public string PreviousHash { get; init; } = string.Empty;
    [JsonPropertyName("hash")] public string Hash { get; init; } = string.Empty;
    [JsonPropertyName("reasonDigest")] public string? ReasonDigest { get; init; }

    public static WireEvent ToWire(HistoryEntry entry) => new()
    {
        Sequence = entry.Sequence,
        At = entry.At,
        Event = entry.Event,
        Actor = entry.Actor is { } actor ? WireActor.ToWire(actor) : null,
        Reason = entry.Reason,
        StatusBefore = entry.StatusBefore,
        StatusAfter = entry.StatusAfter,
        ClockChanges = entry.ClockChanges,
        PreviousHash = entry.PreviousHash,
        Hash = entry.Hash,
        ReasonDigest = entry.ReasonDigest,
    };

    public HistoryEntry ToDomain() => new()
    {
        Sequence = Sequence,
        At = At,
        Event = Event,
        Actor = Actor?.ToDomain(),
        Reason = Reason,
        StatusBefore = StatusBefore,
        StatusAfter = StatusAfter,
        ClockChanges = ClockChanges,
        PreviousHash = PreviousHash,
        Hash = Hash,
        ReasonDigest = ReasonDigest,
    };
}
