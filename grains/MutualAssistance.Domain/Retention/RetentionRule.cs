using MutualAssistance.Contracts.Requests;
using NodaTime;

namespace MutualAssistance.Domain.Retention;

/// <summary>
/// How long a state keeps an ended request's personal data under a legal basis: <see cref="State"/> and
/// <see cref="LegalBasis"/> narrow it (null: every state, every basis); the most specific rule that matches wins.
/// </summary>
public sealed record RetentionRule(string? State, string? LegalBasis, Period Period)
{
    public bool Matches(string state, string basis) =>
        (State is null || string.Equals(State, state, StringComparison.Ordinal)) && (LegalBasis is null || string.Equals(LegalBasis, basis, StringComparison.Ordinal));

    /// <summary>2 for a state and a basis, 1 for one of them, 0 for neither.</summary>
    public int Specificity => (State is null ? 0 : 1) + (LegalBasis is null ? 0 : 1);
}
