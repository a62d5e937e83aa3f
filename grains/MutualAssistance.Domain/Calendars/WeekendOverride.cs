using System.Collections.Immutable;
using NodaTime;

namespace MutualAssistance.Domain.Calendars;

/// <summary>
/// An authority's own weekly rest days, replacing its state's (e.g. Thursday and Friday), from
/// <see cref="From"/> until <see cref="Until"/> inclusive where the decision that set them was temporary, and their source.
/// </summary>
public sealed record WeekendOverride(ImmutableArray<IsoDayOfWeek> Days, string Source, LocalDate? From = null, LocalDate? Until = null)
{
    public bool AppliesOn(LocalDate date) => (From is null || date >= From) && (Until is null || date <= Until);
}
