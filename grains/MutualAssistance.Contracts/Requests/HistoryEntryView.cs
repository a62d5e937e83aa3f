using System.Collections.Immutable;

namespace MutualAssistance.Contracts.Requests;

/// <summary>One event of a request's history, chained to the one before by its hash.</summary>
[GenerateSerializer, Immutable]
[Alias("ma.HistoryEntryView")]
public sealed record HistoryEntryView
{
    [Id(0)] public required int Sequence { get; init; }
    [Id(1)] public required DateTimeOffset At { get; init; }

    /// <summary>"file", an action name, or a clock event: "warning", "breach", "escalation", "recalculation".</summary>
    [Id(2)] public required string Event { get; init; }
    [Id(3)] public string? Subject { get; init; }
    [Id(4)] public string? Authority { get; init; }
    [Id(5)] public Role? Role { get; init; }
    [Id(6)] public string? Reason { get; init; }
    [Id(7)] public RequestStatus? StatusBefore { get; init; }
    [Id(8)] public required RequestStatus StatusAfter { get; init; }
    [Id(9)] public required ImmutableArray<string> ClockChanges { get; init; }
    [Id(10)] public required string PreviousHash { get; init; }
    [Id(11)] public required string Hash { get; init; }
}

[GenerateSerializer, Immutable]
[Alias("ma.HistoryVerification")]
public sealed record HistoryVerification
{
    [Id(0)] public required bool Intact { get; init; }
    [Id(1)] public required int Entries { get; init; }

    /// <summary>The first entry whose hash or link does not hold; null when intact.</summary>
    [Id(2)] public int? BrokenAt { get; init; }
    [Id(3)] public string? Detail { get; init; }
}
