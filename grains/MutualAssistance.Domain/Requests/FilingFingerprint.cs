using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Serialization;
using MutualAssistance.Contracts.Requests;

namespace MutualAssistance.Domain.Requests;

/// <summary>
/// A digest of what was filed, so that a retry of the same filing is told apart from a different request
/// sent under the same id. Canonical JSON (fixed property order, no whitespace) hashed with SHA-256.
/// </summary>
public static class FilingFingerprint
{
    private static readonly JsonSerializerOptions Canonical = new()
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
        WriteIndented = false,
        Converters = { new JsonStringEnumConverter() },
    };

    public static string Of(FileRequest request)
    {
        // The fields in the order FileRequest had before the instrument catalogue, so that a request filed then keeps
        // its fingerprint: its basis is the old enum (with the treaty's free text); a request filed since is fingerprinted
        // by its catalogue code alone (the old fields it also carries for older silos are derived from it). Fields added
        // since are left out when empty, so that the fingerprint of a request without them is as it was.
        var normalised = new Canonicalised(
            request.RequestingAuthority,
            request.RequestedAuthority,
            request.LegalBasis is null ? request.LegacyBasis : request.LegalBasis,
            request.LegalBasis is null ? request.Treaty : null,
            request.AssistanceTypes,
            request.Urgency,
            request.RequestedBy,
            request.ReceivedAt?.ToUniversalTime(),
            request.Subject,
            request.SummaryOfFacts,
            request.PersonsConcerned.IsDefault ? [] : request.PersonsConcerned,
            request.RequestingReference,
            request.Confidential,
            request.RelatedRequestIds.IsDefault ? [] : request.RelatedRequestIds,
            request.Language,
            request.RequestedByReasons);
        var bytes = JsonSerializer.SerializeToUtf8Bytes(normalised, Canonical);
        return Convert.ToHexStringLower(SHA256.HashData(bytes));
    }

    private sealed record Canonicalised(
        string RequestingAuthority, string RequestedAuthority, object LegalBasis, string? Treaty,
        System.Collections.Immutable.ImmutableArray<AssistanceType> AssistanceTypes, Urgency Urgency, DateOnly? RequestedBy,
        DateTimeOffset? ReceivedAt, string Subject, string SummaryOfFacts, System.Collections.Immutable.ImmutableArray<PersonConcerned> PersonsConcerned,
        string? RequestingReference, bool Confidential, System.Collections.Immutable.ImmutableArray<Guid> RelatedRequestIds, string? Language,
        [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? RequestedByReasons);
}
