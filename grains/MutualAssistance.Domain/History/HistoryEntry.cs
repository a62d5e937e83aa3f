using System.Collections.Immutable;
using MutualAssistance.Contracts.Requests;

namespace MutualAssistance.Domain.History;

/// <summary>
/// One event of a request's history: who (absent for the clock's own events), when, what, why, the status
/// before and after, and what changed on the clocks. <see cref="Hash"/> covers all of it and the previous hash.
/// </summary>
[GenerateSerializer, Immutable]
[Alias("ma.HistoryEntry")]
public sealed record HistoryEntry
{
    [Id(0)] public required int Sequence { get; init; }
    [Id(1)] public required DateTimeOffset At { get; init; }
    [Id(2)] public required string Event { get; init; }
    [Id(3)] public Actor? Actor { get; init; }
    [Id(4)] public string? Reason { get; init; }
    [Id(5)] public RequestStatus? StatusBefore { get; init; }
    [Id(6)] public required RequestStatus StatusAfter { get; init; }
    [Id(7)] public ImmutableArray<string> ClockChanges { get; init; } = [];
    [Id(8)] public string PreviousHash { get; init; } = string.Empty;
    [Id(9)] public string Hash { get; init; } = string.Empty;

    /// <summary>
    /// The keyed digest of <see cref="Reason"/> (<see cref="HashChain.DigestOf"/>, under the request's history salt),
    /// which the hash covers in place of the reason: the reason is sealed at rest and gone after an erasure, the
    /// digest stays, so the chain still verifies. Null when there is no reason, and for events recorded before
    /// reasons were sealed (their hash covers the reason itself).
    /// </summary>
    [Id(10)] public string? ReasonDigest { get; init; }

    /// <summary>
    /// What the entry records, typed (<see cref="HistoryEvent"/>), which its <see cref="Event"/> and (for a clock's
    /// event) its <see cref="ClockChanges"/> are made from. Null for an entry written before payloads were kept. It
    /// does not travel to a peer (ma-exchange/1 carries the text, which is what the hash covers): the receiver reads
    /// it from the text (<see cref="HistoryEventText.Read"/>).
    /// </summary>
    [Id(11)]
    [System.Text.Json.Serialization.JsonIgnore]
    public HistoryEvent? Payload { get; init; }

    /// <summary>What the entry records: its payload, or for an entry without one, the payload read from its text (the one place that reads it).</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public HistoryEvent What => Payload ?? HistoryEventText.Read(Event, ClockChanges.IsDefault ? [] : ClockChanges);

    public HistoryEntryView ToView() => new()
    {
        Sequence = Sequence,
        At = At,
        Event = Event,
        Subject = Actor?.Subject,
        Authority = Actor?.Authority,
        Role = Actor?.Role,
        Reason = Reason,
        StatusBefore = StatusBefore,
        StatusAfter = StatusAfter,
        ClockChanges = ClockChanges,
        PreviousHash = PreviousHash,
        Hash = Hash,
    };
}
