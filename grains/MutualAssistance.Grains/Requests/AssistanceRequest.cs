using System.Collections.Immutable;
using MutualAssistance.Contracts.Requests;

namespace MutualAssistance.Grains.Requests;

/// <summary>
/// A mutual legal assistance request: what was filed, by whom, and where it stands.
/// Plain C#: every change is a method that checks its rule and returns the next value.
/// </summary>
[GenerateSerializer]
[Alias("ma.AssistanceRequest")]
public sealed record AssistanceRequest
{
    /// <summary>How far back a request received off-system may be registered.</summary>
    public static readonly TimeSpan MaxReceivedInPast = TimeSpan.FromDays(366);

    [Id(0)] public required Guid Id { get; init; }
    [Id(1)] public required int Version { get; init; }
    [Id(2)] public required RequestStatus Status { get; init; }
    [Id(3)] public required FileRequest Filed { get; init; }
    [Id(4)] public required string FilingFingerprint { get; init; }
    [Id(5)] public required DateTimeOffset ReceivedAt { get; init; }
    [Id(6)] public required DateTimeOffset FiledAt { get; init; }
    [Id(7)] public required Actor FiledBy { get; init; }
    [Id(8)] public string? RequestedReference { get; init; }

    /// <summary>
    /// Files a new request. The filer must act for one of the two authorities; a request received off-system
    /// carries the time it arrived, which may not lie in the future nor more than a year back.
    /// </summary>
    public static AssistanceRequest File(Guid id, FileRequest request, Actor actor, DateTimeOffset now)
    {
        if (actor.Authority != request.RequestingAuthority && actor.Authority != request.RequestedAuthority)
        {
            throw new RequestRuleException("authority", "The filer must act for the requesting or the requested authority.");
        }

        if (request.RequestingAuthority == request.RequestedAuthority)
        {
            throw new RequestRuleException("requestedAuthority", "The requested authority must differ from the requesting one.");
        }

        var receivedAt = request.ReceivedAt ?? now;
        if (receivedAt > now)
        {
            throw new RequestRuleException("receivedAt", "The time of receipt may not lie in the future.");
        }

        if (receivedAt < now - MaxReceivedInPast)
        {
            throw new RequestRuleException("receivedAt", "The time of receipt may lie at most one year back.");
        }

        return new AssistanceRequest
        {
            Id = id,
            Version = 1,
            Status = RequestStatus.Submitted,
            Filed = request,
            FilingFingerprint = Requests.FilingFingerprint.Of(request),
            ReceivedAt = receivedAt.ToUniversalTime(),
            FiledAt = now.ToUniversalTime(),
            FiledBy = actor,
        };
    }

    /// <summary>Whether <paramref name="request"/> is the very request filed here (an idempotent retry).</summary>
    public bool IsSameFiling(FileRequest request) => FilingFingerprint == Requests.FilingFingerprint.Of(request);

    public AssistanceRequestView ToView() => new()
    {
        Id = Id,
        Version = Version,
        Status = Status,
        RequestingAuthority = Filed.RequestingAuthority,
        RequestedAuthority = Filed.RequestedAuthority,
        LegalBasis = Filed.LegalBasis,
        Treaty = Filed.Treaty,
        AssistanceTypes = Filed.AssistanceTypes,
        Urgency = Filed.Urgency,
        RequestedBy = Filed.RequestedBy,
        ReceivedAt = ReceivedAt,
        FiledAt = FiledAt,
        FiledByAuthority = FiledBy.Authority,
        Subject = Filed.Subject,
        SummaryOfFacts = Filed.SummaryOfFacts,
        PersonsConcerned = Filed.PersonsConcerned.IsDefault ? [] : Filed.PersonsConcerned,
        RequestingReference = Filed.RequestingReference,
        RequestedReference = RequestedReference,
        Confidential = Filed.Confidential,
        RelatedRequestIds = Filed.RelatedRequestIds.IsDefault ? ImmutableArray<Guid>.Empty : Filed.RelatedRequestIds,
        Language = Filed.Language,
    };
}
