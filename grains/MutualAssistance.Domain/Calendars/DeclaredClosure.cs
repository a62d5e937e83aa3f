using NodaTime;

namespace MutualAssistance.Domain.Calendars;

/// <summary>
/// A day a state declared its offices closed at run time, with why, who and when; with a <see cref="Region"/>,
/// only the offices of that state's authorities located in that region (their <c>location.region</c> in
/// authorities.json) are closed, e.g. a provincial closure for heat or pollution.
/// </summary>
public sealed record DeclaredClosure(string State, LocalDate Date, string Reason, string DeclaredBy, string DeclaredByAuthority, DateTimeOffset DeclaredAt, string? Region = null)
{
    /// <summary>Whether the closure closes the offices of an authority located in <paramref name="region"/> (null: no known region, so state-wide closures only).</summary>
    public bool AppliesIn(string? region) => Region is null || (region is not null && string.Equals(Region, region, StringComparison.OrdinalIgnoreCase));
}
