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
/// day after the start event (art. 3(5)). A last day fixed by the requester's date (<c>requestedBy</c>) is a date,
/// not a period: it does not move, even onto a working day (the system's reading of Reg. 1182/71 art. 5(1), which
/// applies art. 3 to a specified time or date except its paragraphs (4) and (5); see docs/domain.md). Once an
/// extension or a pause has added days to it, its end is a period's end again and moves by art. 3(4).</item>
/// <item>Working days: only working days count; the period ends at the end of the last one.</item>
/// <item>Hours: the hour during which the start event happens does not count; the period starts at the
/// beginning of the next hour and ends when its last hour expires (EU Reg. 1182/71 art. 3(1) first subparagraph,
/// 3(2)(a)). The hour is the responsible authority's local hour, so in India (+05:30) it runs from :30 to :30 in
/// UTC. An event at exactly 10:00:00 falls during the hour 10:00-11:00, so it too starts the period at 11:00.
/// The hours themselves are elapsed hours: 24 hours over a change to summer time read 25 on the wall clock.</item>
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
                // Reg. 1182/71 governs acts of the Union's institutions (art. 1), which is how the EIO directive's
                // 24 hours (Directive 2014/41/EU art. 32(2), the only hours clock shipped) is read here, as its day
                // periods are. Extensions (days of 24 hours) and finished pauses (the time they lasted) add to
                // the end as before: the regulation says nothing of them.
                var paused = clock.Pauses.Where(p => p.Until is not null).Aggregate(TimeSpan.Zero, (sum, p) => sum + (p.Until!.Value - p.From));
                return NextLocalHour(clock.StartedAt, zone) + TimeSpan.FromHours(clock.Period.Amount) + TimeSpan.FromDays(extension) + paused;
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
                // A requested date as such stays where the requester put it (Reg. 1182/71 art. 5(1): art. 3(4)-(5) do
                // not apply to a specified date); days added to it make it a period's end again (art. 3(4)).
                var added = extension + pausedDays;
                var last = clock.FixedLastDay is not null && added == 0 ? nominal : calendar.OnOrNextWorkingDay(nominal.PlusDays(added));
                var eventDay = start.InZone(zone).Date;
                if (clock.FixedLastDay is null && clock.Period.Amount >= 2 && calendar.WorkingDaysBetween(eventDay, last) < 2)
                {
                    last = calendar.AddWorkingDays(eventDay, 2);
                }

                return EndOfDay(last, zone);
            }
        }
    }

    /// <summary>
    /// Why a due time computed over the local days <paramref name="from"/> to <paramref name="to"/> may still move,
    /// or null when every year it crossed is the state's official schedule (issue 24): a provisional year ("CN 2027
    /// is provisional: lunar holidays estimated, State Council notice not yet published") or a year with no file at
    /// all ("no calendar for IR 2028: weekends only"), one reason per year, in order, joined by "; ".
    /// </summary>
    public static string? CalendarNote(WorkingCalendar calendar, LocalDate from, LocalDate to)
    {
        var reasons = new List<string>();
        for (var year = from.Year; year <= to.Year; year++)
        {
            if (!calendar.Years.TryGetValue(year, out var file))
            {
                reasons.Add(FormattableString.Invariant($"no calendar for {calendar.State} {year}: weekends only"));
            }
            else if (file.Status == CalendarStatus.Provisional)
            {
                reasons.Add(FormattableString.Invariant($"{calendar.State} {year} is provisional: {file.Pending}"));
            }
        }

        return reasons.Count == 0 ? null : string.Join("; ", reasons);
    }

    /// <summary>The calendar note of a due time (<see cref="CalendarNote(WorkingCalendar, LocalDate, LocalDate)"/>) over the days from its start to its last day; none for hour periods, which count elapsed hours and no calendar.</summary>
    public static string? CalendarNote(Clock clock, DateTimeOffset? due, WorkingCalendar calendar, DateTimeZone zone) =>
        due is { } end && clock.Period.Unit != PeriodUnit.Hours
            ? CalendarNote(calendar, LocalDate(clock.StartedAt, zone), LocalDate(end.AddTicks(-1), zone))
            : null;

    /// <summary>
    /// The beginning of the local hour after the one during which <paramref name="instant"/> falls, in UTC
    /// (Reg. 1182/71 art. 3(1)). Worked from the instant's own offset, so a repeated hour when clocks go back is
    /// the occurrence the instant is in, and an instant on the hour still has its whole hour discarded.
    /// </summary>
    public static DateTimeOffset NextLocalHour(DateTimeOffset instant, DateTimeZone zone)
    {
        var local = instant.ToInstant().InZone(zone).TimeOfDay;
        var intoHour = Duration.FromTicks(local.TickOfDay % NodaConstants.TicksPerHour);
        return (instant.ToInstant() - intoHour + Duration.FromHours(1)).ToDateTimeOffset();
    }

    /// <summary>The end of a local day: the first instant of the next one (which DST never skips whole).</summary>
    public static DateTimeOffset EndOfDay(LocalDate date, DateTimeZone zone) =>
        date.PlusDays(1).AtStartOfDayInZone(zone).ToDateTimeOffset().ToUniversalTime();

    public static LocalDate LocalDate(DateTimeOffset instant, DateTimeZone zone) => instant.ToInstant().InZone(zone).Date;

    public static DateTimeOffset InZone(DateTimeOffset instant, DateTimeZone zone) => instant.ToInstant().InZone(zone).ToDateTimeOffset();
}
