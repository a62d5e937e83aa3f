using System.Collections.Immutable;
using NodaTime;

namespace MutualAssistance.Domain.Calendars;

/// <summary>One state's calendar for one year, as published, with where it comes from.</summary>
public sealed record CalendarYear
{
    public required string State { get; init; }
    public required int Year { get; init; }
    public required ImmutableArray<IsoDayOfWeek> Weekend { get; init; }
    public required ImmutableArray<CalendarDay> Holidays { get; init; }
    public required ImmutableArray<CalendarDay> WorkingDays { get; init; }
    public required string Source { get; init; }

    /// <summary>False when only part of the year's days off is known (e.g. movable feasts not yet fixed).</summary>
    public required bool Complete { get; init; }
    public string? Note { get; init; }
}

public sealed record CalendarDay(LocalDate Date, string Name);
