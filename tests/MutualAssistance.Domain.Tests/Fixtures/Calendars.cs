using System.Collections.Immutable;
using MutualAssistance.Domain.Calendars;
using NodaTime;

namespace MutualAssistance.Domain.Tests;

/// <summary>Small calendars built by hand, so that each test shows every day that matters.</summary>
public static class Calendars
{
    public static WorkingCalendar SaturdaySunday(string state = "DE") => new(state, [Year(state, 2025, [IsoDayOfWeek.Saturday, IsoDayOfWeek.Sunday])]);

    public static WorkingCalendar FridayOnly(string state = "IR") => new(state, [Year(state, 2025, [IsoDayOfWeek.Friday])]);

    public static CalendarYear Year(string state, int year, ImmutableArray<IsoDayOfWeek> weekend, LocalDate[]? holidays = null, LocalDate[]? worked = null) => new()
    {
        State = state,
        Year = year,
        Weekend = weekend,
        Holidays = [.. (holidays ?? []).Select(d => new CalendarDay(d, "holiday"))],
        WorkingDays = [.. (worked ?? []).Select(d => new CalendarDay(d, "worked"))],
        Source = "test",
        Status = CalendarStatus.Official,
    };

    public static DateTimeZone Zone(string id) => DateTimeZoneProviders.Tzdb[id];
}
