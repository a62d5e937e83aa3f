using System.Collections.Frozen;
using NodaTime;

namespace MutualAssistance.Grains.Calendars;

/// <summary>
/// The working days of one state: its weekly rest days, its public holidays and the weekend days it works
/// instead (transfers, as in China, Russia or Kazakhstan). Years without data fall back to the weekly rule.
/// </summary>
public sealed class WorkingCalendar
{
    private readonly FrozenSet<LocalDate> holidays;
    private readonly FrozenSet<LocalDate> workedWeekendDays;
    private readonly FrozenSet<IsoDayOfWeek> weekend;
    private readonly FrozenDictionary<int, CalendarYear> years;

    public WorkingCalendar(string state, IEnumerable<CalendarYear> years)
    {
        State = state;
        this.years = years.ToFrozenDictionary(y => y.Year);
        holidays = this.years.Values.SelectMany(y => y.Holidays.Select(h => h.Date)).ToFrozenSet();
        workedWeekendDays = this.years.Values.SelectMany(y => y.WorkingDays.Select(h => h.Date)).ToFrozenSet();
        var latest = this.years.Values.MaxBy(y => y.Year);
        weekend = (latest?.Weekend ?? [IsoDayOfWeek.Saturday, IsoDayOfWeek.Sunday]).ToFrozenSet();
    }

    public string State { get; }

    public IReadOnlyDictionary<int, CalendarYear> Years => years;

    public bool IsWorkingDay(LocalDate date)
    {
        if (workedWeekendDays.Contains(date))
        {
            return true;
        }

        if (holidays.Contains(date))
        {
            return false;
        }

        return years.TryGetValue(date.Year, out var year) ? !year.Weekend.Contains(date.DayOfWeek) : !weekend.Contains(date.DayOfWeek);
    }

    /// <summary>The date itself when it is a working day, else the next working day.</summary>
    public LocalDate OnOrNextWorkingDay(LocalDate date)
    {
        for (var i = 0; i < 366; i++, date = date.PlusDays(1))
        {
            if (IsWorkingDay(date))
            {
                return date;
            }
        }

        throw new InvalidOperationException($"Calendar {State} has no working day within a year of {date}.");
    }

    /// <summary>The working days after <paramref name="from"/> up to and including <paramref name="to"/>.</summary>
    public int WorkingDaysBetween(LocalDate from, LocalDate to)
    {
        var count = 0;
        for (var date = from.PlusDays(1); date <= to; date = date.PlusDays(1))
        {
            if (IsWorkingDay(date))
            {
                count++;
            }
        }

        return count;
    }

    /// <summary>The <paramref name="count"/>-th working day after <paramref name="from"/> (the day itself when count is 0 and it is a working day).</summary>
    public LocalDate AddWorkingDays(LocalDate from, int count)
    {
        if (count <= 0)
        {
            return OnOrNextWorkingDay(from);
        }

        var date = from;
        while (count > 0)
        {
            date = date.PlusDays(1);
            if (IsWorkingDay(date))
            {
                count--;
            }
        }

        return date;
    }
}
