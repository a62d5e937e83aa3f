using System.Collections.Immutable;
using NodaTime;

namespace MutualAssistance.Domain.Calendars;

/// <summary>Whether a year's days off are the state's published schedule or computed from its law ahead of it.</summary>
public enum CalendarStatus
{
    /// <summary>Follows the state's act for the year (decree, notice, gazette), cited in the file's source.</summary>
    Official,

    /// <summary>
    /// Computed from the law's standing rules (fixed dates, the labour code's transfer rule, lunar dates estimated)
    /// while the annual act is awaited, or known to miss days; <see cref="CalendarYear.Pending"/> says what.
    /// </summary>
    Provisional,
}

/// <summary>One state's calendar for one year, as published or as computed ahead of publication, with where it comes from.</summary>
public sealed record CalendarYear
{
    public required string State { get; init; }
    public required int Year { get; init; }
    public required ImmutableArray<IsoDayOfWeek> Weekend { get; init; }
    public required ImmutableArray<CalendarDay> Holidays { get; init; }
    public required ImmutableArray<CalendarDay> WorkingDays { get; init; }
    public required string Source { get; init; }
    public required CalendarStatus Status { get; init; }

    /// <summary>For a provisional year, what is awaited or unconfirmed, in a line (e.g. "lunar holidays estimated, State Council notice not yet published").</summary>
    public string? Pending { get; init; }
    public string? Note { get; init; }
}

/// <summary>
/// A holiday or worked day; <see cref="Estimated"/> when its date was computed (a lunar date, before the state
/// announced it), with its own <see cref="Source"/> where it differs from the year's.
/// </summary>
public sealed record CalendarDay(LocalDate Date, string Name, bool Estimated = false, string? Source = null);
