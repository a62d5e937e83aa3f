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
    /// <summary>The basis of a request filed before the instrument catalogue (read only from stored state).</summary>
    [Id(2)] public LegacyLegalBasis LegacyBasis { get; init; }

    /// <summary>The treaty a request filed before the instrument catalogue named in free text (read only from stored state).</summary>
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

    /// <summary>
    /// The code of a basis of the instrument catalogue (e.g. <c>untoc</c>, <c>cn-kz-1996</c>); null only in the state of
    /// a request filed before the catalogue, whose basis the domain identifies from <see cref="LegacyBasis"/> and
    /// <see cref="Treaty"/>.
    /// </summary>
    [Id(15)] public string? LegalBasis { get; init; }

    /// <summary>
    /// Why the work is needed by <see cref="RequestedBy"/>: deadlines "for which reasons are given, preferably in the
    /// request" (UNTOC art. 18(24); UNCAC art. 46(24)). Required with a date under a basis whose instrument words that
    /// duty (the catalogue's <c>deadline-with-reasons</c>); at most <see cref="FieldLimits.ActionText"/> characters.
    /// </summary>
    [Id(16)] public string? RequestedByReasons { get; init; }
}
