using System.Collections.Immutable;
using System.Text.Json.Serialization;
using MutualAssistance.Contracts.Requests;
using MutualAssistance.Contracts;

namespace MutualAssistance.Federation.Wire;

/// <summary><c>ma-exchange/1</c>: the state's <c>filed</c>, the request as filed (<see cref="FileRequest"/>).</summary>
public sealed record WireFiling
{
    [JsonPropertyName("requestingAuthority")] public required string RequestingAuthority { get; init; }
    [JsonPropertyName("requestedAuthority")] public required string RequestedAuthority { get; init; }
    /// <summary>
    /// The basis's code in the instrument catalogue; a node of an earlier release sends <c>treaty</c> with the treaty in
    /// free text (<see cref="Treaty"/>), which the receiver identifies as it does for its own requests of then.
    /// </summary>
    [JsonPropertyName("legalBasis")] public required string LegalBasis { get; init; }
    [JsonPropertyName("treaty")] public string? Treaty { get; init; }
    [JsonPropertyName("assistanceTypes")] public required ImmutableArray<AssistanceType> AssistanceTypes { get; init; }
    [JsonPropertyName("urgency")] public Urgency Urgency { get; init; }
    [JsonPropertyName("requestedBy")] public DateOnly? RequestedBy { get; init; }

    /// <summary>The reasons of the requested date (UNTOC art. 18(24)); absent from envelopes of requests without them, as from every earlier envelope.</summary>
    [JsonPropertyName("requestedByReasons")] public string? RequestedByReasons { get; init; }
    [JsonPropertyName("receivedAt")] public DateTimeOffset? ReceivedAt { get; init; }
    [JsonPropertyName("subject")] public required string Subject { get; init; }
    [JsonPropertyName("summaryOfFacts")] public required string SummaryOfFacts { get; init; }
    [JsonPropertyName("personsConcerned")] public ImmutableArray<WirePerson> PersonsConcerned { get; init; } = [];
    [JsonPropertyName("requestingReference")] public string? RequestingReference { get; init; }
    [JsonPropertyName("confidential")] public bool Confidential { get; init; }
    [JsonPropertyName("relatedRequestIds")] public ImmutableArray<Guid> RelatedRequestIds { get; init; } = [];
    [JsonPropertyName("language")] public string? Language { get; init; }

    /// <summary>The basis "treaty" (with the treaty in free text) of requests filed before the instrument catalogue.</summary>
    private static readonly string TreatyOfOldNodes = WireNames.Of(LegacyLegalBasis.Treaty);

    public static WireFiling ToWire(FileRequest filed) => new()
    {
        RequestingAuthority = filed.RequestingAuthority,
        RequestedAuthority = filed.RequestedAuthority,
        // A request filed before the catalogue travels as it was filed (its old basis name and free text): every node
        // identifies it the same way (LegacyBasis), and its filing reads the same on both sides.
        LegalBasis = filed.LegalBasis ?? WireNames.Of(filed.LegacyBasis),
        Treaty = filed.Treaty,
        AssistanceTypes = filed.AssistanceTypes,
        Urgency = filed.Urgency,
        RequestedBy = filed.RequestedBy,
        RequestedByReasons = filed.RequestedByReasons,
        ReceivedAt = filed.ReceivedAt,
        Subject = filed.Subject,
        SummaryOfFacts = filed.SummaryOfFacts,
        PersonsConcerned = WireArrays.Map(filed.PersonsConcerned, WirePerson.ToWire),
        RequestingReference = filed.RequestingReference,
        Confidential = filed.Confidential,
        RelatedRequestIds = filed.RelatedRequestIds,
        Language = filed.Language,
    };

    public FileRequest ToDomain() => new()
    {
        RequestingAuthority = RequestingAuthority,
        RequestedAuthority = RequestedAuthority,
        LegalBasis = LegalBasis == TreatyOfOldNodes ? null : LegalBasis,
        LegacyBasis = LegalBasis == TreatyOfOldNodes ? LegacyLegalBasis.Treaty : Domain.Instruments.LegacyBasis.ForOlderSilos(LegalBasis),
        Treaty = Treaty,
        AssistanceTypes = AssistanceTypes,
        Urgency = Urgency,
        RequestedBy = RequestedBy,
        RequestedByReasons = RequestedByReasons,
        ReceivedAt = ReceivedAt,
        Subject = Subject,
        SummaryOfFacts = SummaryOfFacts,
        PersonsConcerned = WireArrays.Map(PersonsConcerned, p => p.ToDomain()),
        RequestingReference = RequestingReference,
        Confidential = Confidential,
        RelatedRequestIds = RelatedRequestIds,
        Language = Language,
    };
}
