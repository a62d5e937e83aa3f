using MutualAssistance.Contracts;

namespace MutualAssistance.Api.Requests;

/// <summary>
/// The <c>partner</c> filter of the request list and the deadline board (the other party's authority code): one rule
/// for both, so that the two lists cannot come to take different codes.
/// </summary>
public static class PartnerFilter
{
    /// <summary>The longest authority code a filter takes.</summary>
    public const int MaxLength = 40;

    /// <summary>Why <paramref name="partner"/> is not a filter, or null when it is one (or none is given).</summary>
    public static FieldMessage? Problem(string? partner) => partner is { Length: > MaxLength } ? FieldMessages.AuthorityCodeQuery(MaxLength) : null;
}
