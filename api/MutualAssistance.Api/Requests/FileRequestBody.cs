using System.Collections.Immutable;
using MutualAssistance.Contracts.Requests;

namespace MutualAssistance.Api.Requests;

/// <summary>The JSON body of <c>POST /api/requests</c>, as sent: everything optional until validated.</summary>
public sealed record FileRequestBody
{
    public string? RequestingAuthority { get; init; }
    public string? RequestedAuthority { get; init; }
    /// <summary>The code of a basis of the instrument catalogue (<c>GET /api/reference/legal-bases</c>).</summary>
    public string? LegalBasis { get; init; }

    /// <summary>Retired: the treaty is named by its code in <see cref="LegalBasis"/>; a filing that still sends it is refused, naming the field.</summary>
    public string? Treaty { get; init; }
    public ImmutableArray<AssistanceType>? AssistanceTypes { get; init; }
    public Urgency? Urgency { get; init; }
    public DateOnly? RequestedBy { get; init; }

    /// <summary>Why the work is needed by <see cref="RequestedBy"/>; required with it under UNTOC and UNCAC (art. 18(24), 46(24)).</summary>
    public string? RequestedByReasons { get; init; }
    public DateTimeOffset? ReceivedAt { get; init; }
    public string? Subject { get; init; }
    public string? SummaryOfFacts { get; init; }
    public ImmutableArray<PersonBody>? PersonsConcerned { get; init; }
    public string? RequestingReference { get; init; }
    public bool? Confidential { get; init; }
    public ImmutableArray<Guid>? RelatedRequestIds { get; init; }
    public string? Language { get; init; }

    /// <summary>
    /// The grain's command, as sent: the domain's filing rules (<c>FilingRules</c>) check every field and name what is
    /// missing or wrong. A field left out stays null.
    /// </summary>
    public FileRequest ToCommand() => new()
    {
        RequestingAuthority = RequestingAuthority!,
        RequestedAuthority = RequestedAuthority!,
        LegalBasis = LegalBasis,
        Treaty = Treaty,
        AssistanceTypes = AssistanceTypes ?? [],
        Urgency = Urgency ?? Contracts.Requests.Urgency.Normal,
        RequestedBy = RequestedBy,
        RequestedByReasons = RequestedByReasons,
        ReceivedAt = ReceivedAt?.ToUniversalTime(),
        Subject = Subject!,
        SummaryOfFacts = SummaryOfFacts!,
        PersonsConcerned = [.. (PersonsConcerned ?? []).Select(p => p is null ? null! : new PersonConcerned { Name = p.Name!, Nationality = p.Nationality, Role = p.Role! })],
        RequestingReference = RequestingReference,
        Confidential = Confidential ?? false,
        RelatedRequestIds = RelatedRequestIds ?? [],
        Language = Language,
    };
}

public sealed record PersonBody
{
    public string? Name { get; init; }
    public string? Nationality { get; init; }
    public string? Role { get; init; }
}
