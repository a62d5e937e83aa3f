using MutualAssistance.Contracts;
using MutualAssistance.Contracts.Authorities;

namespace MutualAssistance.Api.Requests;

/// <summary>
/// The <c>legalBasis</c> filter of the request list and the deadline board: a basis code of the instrument catalogue,
/// as the silos hold it (one rule for both lists).
/// </summary>
public static class LegalBasisFilter
{
    /// <summary>Why <paramref name="legalBasis"/> is not a filter, or null when it is one (or none is given).</summary>
    public static async Task<FieldMessage?> Problem(string? legalBasis, IClusterClient cluster)
    {
        if (legalBasis is null)
        {
            return null;
        }

        // One code asked of the local reference grain, not the whole catalogue: the board is polled with this filter.
        return await cluster.GetGrain<IReferenceDataGrain>(0).IsLegalBasis(legalBasis) ? null : FieldMessages.UnknownLegalBasis(legalBasis);
    }
}
