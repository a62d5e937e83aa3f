using MutualAssistance.Domain.Clocks;
using NodaTime;
using NodaTime.Extensions;

namespace MutualAssistance.Domain.Calendars;

/// <summary>
/// When a clock's period ends, on the responsible authority's calendar and in its time zone.
/// <list type="bullet">
/// <item>Calendar days: the period starts the day after the start event and ends at the end of its last day; a
/// last day that is not a working day moves to the end of the next working day (EU Reg. 1182/71 art. 3(4)); a
/// period of two days or more includes at least two working days, else it runs to the end of the second working
/// day after the start event (art. 3(5)). A last day fixed by the requester's date is a date, not a period: it
/// moves by art. 3(4) only.</item>
/// <item>Working days: only working days count; the period ends at the end of the last one.</item>
/// <item>Hours: elapsed time.</item>
/// </list>
/// Extensions add to the period in its unit; finished pauses add the days (or working days, or time) they lasted.
/// </summary>
public static class DeadlineCalculator
{
    public static DateTimeOffset? Due(Clock clock, WorkingCalendar calendar, DateTimeZone zone)
    {
        if (clock.State == Contracts.Requests.ClockState.Paused)
        {
            return null;
        }

        var extension = clock.Extensions.Sum(e => e.Days);
        var start = clock.StartedAt.ToInstant();
        switch (clock.Period.Unit)
        {
            case PeriodUnit.Hours:
            {
                var paused = clock.Pauses.Where(p => p.Until is not null).Aggregate(TimeSpan.Zero, (sum, p) => sum + (p.Until!.Value - p.From));
                return clock.StartedAt + TimeSpan.FromHours(clock.Period.Amount) + TimeSpan.FromDays(extension) + paused;
            }

            case PeriodUnit.WorkingDays:
            {
                var pausedDays = clock.Pauses.Where(p => p.Until is not null)
                    .Sum(p => calendar.WorkingDaysBetween(LocalDate(p.From, zone), LocalDate(p.Until!.Value, zone)));
                var last = calendar.AddWorkingDays(start.InZone(zone).Date, clock.Period.Amount + extension + pausedDays);
                return EndOfDay(last, zone);
            }

            default:
            {
                var pausedDays = clock.Pauses.Where(p => p.Until is not null)
                    .Sum(p => Period.DaysBetween(LocalDate(p.From, zone), LocalDate(p.Until!.Value, zone)));
                var nominal = clock.FixedLastDay is { } fixedDay
                    ? fixedDay.ToLocalDate()
                    : start.InZone(zone).Date.PlusDays(clock.Period.Amount);
                var last = calendar.OnOrNextWorkingDay(nominal.PlusDays(extension + pausedDays));
                var eventDay = start.InZone(zone).Date;
                if (clock.FixedLastDay is null && clock.Period.Amount >= 2 && calendar.WorkingDaysBetween(eventDay, last) < 2)
                {
                    last = calendar.AddWorkingDays(eventDay, 2);
                }

                return EndOfDay(last, zone);
            }
        }
    }

    /// <summary>The end of a local day: the first instant of the next one (which DST never skips whole).</summary>
    public static DateTimeOffset EndOfDay(LocalDate date, DateTimeZone zone) =>
        date.PlusDays(1).AtStartOfDayInZone(zone).ToDateTimeOffset().ToUniversalTime();

    public static LocalDate LocalDate(DateTimeOffset instant, DateTimeZone zone) => instant.ToInstant().InZone(zone).Date;

    public static DateTimeOffset InZone(DateTimeOffset instant, DateTimeZone zone) => instant.ToInstant().InZone(zone).ToDateTimeOffset();
}
