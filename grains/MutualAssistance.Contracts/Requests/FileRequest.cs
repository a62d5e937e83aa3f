using System.Collections.Immutable;

namespace MutualAssistance.Contracts.Requests;

/// <summary>
/// A request as filed by the requesting authority, or as registered by the requested one when it arrived
/// off-system. <see cref="ReceivedAt"/> left empty means "received now".
/// </summary>
[GenerateSerializer, Immutable]
[Alias("ma.FileRequest")]
public sealed record FileRequest
{
    [Id(0)] public required string RequestingAuthority { get; init; }
    [Id(1)] public required string RequestedAuthority { get; init; }
    [Id(2)] public required LegalBasis LegalBasis { get; init; }
    [Id(3)] public string? Treaty { get; init; }
    [Id(4)] public required ImmutableArray<AssistanceType> AssistanceTypes { get; init; }
    [Id(5)] public Urgency Urgency { get; init; }
    [Id(6)] public DateOnly? RequestedBy { get; init; }
    [Id(7)] public DateTimeOffset? ReceivedAt { get; init; }
    [Id(8)] public required string Subject { get; init; }
    [Id(9)] public required string SummaryOfFacts { get; init; }
    [Id(10)] public ImmutableArray<PersonConcerned> PersonsConcerned { get; init; } = [];
    [Id(11)] public string? RequestingReference { get; init; }
    [Id(12)] public bool Confidential { get; init; }
    [Id(13)] public ImmutableArray<Guid> RelatedRequestIds { get; init; } = [];
    [Id(14)] public string? Language { get; init; }
}
