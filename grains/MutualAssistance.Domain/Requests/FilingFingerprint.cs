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
        var normalised = request with
        {
            PersonsConcerned = request.PersonsConcerned.IsDefault ? [] : request.PersonsConcerned,
            RelatedRequestIds = request.RelatedRequestIds.IsDefault ? [] : request.RelatedRequestIds,
            ReceivedAt = request.ReceivedAt?.ToUniversalTime(),
        };
        var bytes = JsonSerializer.SerializeToUtf8Bytes(normalised, Canonical);
        return Convert.ToHexStringLower(SHA256.HashData(bytes));
    }
}
