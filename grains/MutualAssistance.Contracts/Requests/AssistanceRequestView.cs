using System.Collections.Immutable;

namespace MutualAssistance.Contracts.Requests;

/// <summary>One request as its grain knows it: authoritative and current.</summary>
[GenerateSerializer, Immutable]
[Alias("ma.AssistanceRequestView")]
public sealed record AssistanceRequestView
{
    [Id(0)] public required Guid Id { get; init; }

    /// <summary>Grows by one with every change; the API's ETag.</summary>
    [Id(1)] public required int Version { get; init; }
    [Id(2)] public required RequestStatus Status { get; init; }
    [Id(3)] public required string RequestingAuthority { get; init; }
    [Id(4)] public required string RequestedAuthority { get; init; }
    /// <summary>The code of the basis in the instrument catalogue (field 5 was the enum of the bases before the catalogue).</summary>
    [Id(30)] public required string LegalBasis { get; init; }

    /// <summary>The treaty named in free text by a request filed before the catalogue; null for every other.</summary>
    [Id(6)] public string? Treaty { get; init; }
    [Id(7)] public required ImmutableArray<AssistanceType> AssistanceTypes { get; init; }
    [Id(8)] public required Urgency Urgency { get; init; }
    [Id(9)] public DateOnly? RequestedBy { get; init; }
    [Id(10)] public required DateTimeOffset ReceivedAt { get; init; }
    [Id(11)] public required DateTimeOffset FiledAt { get; init; }
    [Id(12)] public required string FiledByAuthority { get; init; }
    [Id(13)] public required string Subject { get; init; }
    [Id(14)] public required string SummaryOfFacts { get; init; }
    [Id(15)] public required ImmutableArray<PersonConcerned> PersonsConcerned { get; init; }
    [Id(16)] public string? RequestingReference { get; init; }
    [Id(17)] public string? RequestedReference { get; init; }
    [Id(18)] public required bool Confidential { get; init; }
    [Id(19)] public required ImmutableArray<Guid> RelatedRequestIds { get; init; }
    [Id(20)] public string? Language { get; init; }
    [Id(21)] public string? ForwardedTo { get; init; }

    /// <summary>Every clock the request has had, running ones first.</summary>
    [Id(22)] public required ImmutableArray<ClockView> Clocks { get; init; }

    /// <summary>The highest escalation level among the clocks.</summary>
    [Id(23)] public required int EscalationLevel { get; init; }

    /// <summary>What the caller may do now (empty when the view was read without a caller).</summary>
    [Id(24)] public required ImmutableArray<RequestAction> AllowedActions { get; init; }

    /// <summary>The status to return to after awaiting information or a postponement.</summary>
    [Id(25)] public RequestStatus? PriorStatus { get; init; }

    /// <summary>The service provider a production order was served on (CETS 224), and when.</summary>
    [Id(26)] public string? ServedOn { get; init; }
    [Id(27)] public DateTimeOffset? ServedAt { get; init; }

    /// <summary>For a request shared with another node: how it stands in the exchange; null for a local request.</summary>
    [Id(28)] public ExchangeView? Exchange { get; init; }

    /// <summary>When this node erased the request's personal data (summary of facts, persons, reasons): null while it holds them.</summary>
    [Id(29)] public DateTimeOffset? ErasedAt { get; init; }

    /// <summary>Why the work is needed by <see cref="RequestedBy"/> (UNTOC art. 18(24)); gone with the personal data on erasure.</summary>
    [Id(31)] public string? RequestedByReasons { get; init; }
}
