using System.Collections.Frozen;
using System.Collections.Immutable;
using NodaTime;

namespace MutualAssistance.Domain.Calendars;

/// <summary>
/// The working days of one state: its weekly rest days, its public holidays, the weekend days it works instead
/// (transfers, as in China, Russia or Kazakhstan) and the days it declared closed at run time; optionally as one
/// authority works it, with weekly rest days of its own and in its region (a regional closure closes only the
/// authorities located in its region). Years without data fall back to the weekly rule.
/// A declared closure closes even a transferred working day.
/// </summary>
public sealed class WorkingCalendar
{
    private readonly FrozenSet<LocalDate> holidays;
    private readonly FrozenSet<LocalDate> workedWeekendDays;
    private readonly FrozenSet<IsoDayOfWeek> weekend;
    private readonly FrozenDictionary<int, CalendarYear> years;
    private readonly FrozenDictionary<LocalDate, DeclaredClosure> closures;
    private readonly FrozenSet<IsoDayOfWeek>? ownWeekend;
    private readonly ImmutableArray<DeclaredClosure> declared;

    public WorkingCalendar(string state, IEnumerable<CalendarYear> years)
        : this(state, years.ToFrozenDictionary(y => y.Year), [], null, null)
    {
    }

    private WorkingCalendar(string state, FrozenDictionary<int, CalendarYear> years, ImmutableArray<DeclaredClosure> declared, WeekendOverride? weekendOverride, string? region)
    {
        State = state;
        this.years = years;
        this.declared = declared;
        Region = region;

        // A state-wide closure and a regional one on the same day close it alike: the state-wide one is shown.
        closures = declared.Where(c => c.AppliesIn(region)).GroupBy(c => c.Date)
            .ToFrozenDictionary(g => g.Key, g => g.OrderBy(c => c.Region is null ? 0 : 1).First());
        WeekendOverride = weekendOverride;
        ownWeekend = weekendOverride?.Days.ToFrozenSet();
        holidays = years.Values.SelectMany(y => y.Holidays.Select(h => h.Date)).ToFrozenSet();
        workedWeekendDays = years.Values.SelectMany(y => y.WorkingDays.Select(h => h.Date)).ToFrozenSet();
        var latest = years.Values.MaxBy(y => y.Year);
        weekend = (latest?.Weekend ?? [IsoDayOfWeek.Saturday, IsoDayOfWeek.Sunday]).ToFrozenSet();
    }

    public string State { get; }

    public IReadOnlyDictionary<int, CalendarYear> Years => years;

    /// <summary>The days declared closed at run time that close this calendar (state-wide, or of its region), by date.</summary>
    public IReadOnlyDictionary<LocalDate, DeclaredClosure> Closures => closures;

    /// <summary>Every closure the state declared, regional ones of other regions included.</summary>
    public ImmutableArray<DeclaredClosure> DeclaredClosures => declared;

    /// <summary>The region of the authority this calendar is a variant for; null for the state's own calendar.</summary>
    public string? Region { get; }

    /// <summary>The authority's own weekly rest days, when this calendar is an authority's variant of its state's.</summary>
    public WeekendOverride? WeekendOverride { get; }

    /// <summary>This calendar with exactly these declared closures (of this state).</summary>
    public WorkingCalendar WithClosures(IEnumerable<DeclaredClosure> declared) =>
        new(State, years, [.. declared.Where(c => c.State == State)], WeekendOverride, Region);

    /// <summary>This calendar as an authority with weekly rest days of its own works it.</summary>
    public WorkingCalendar WithWeekend(WeekendOverride weekendOverride) => new(State, years, declared, weekendOverride, Region);

    /// <summary>This calendar as an authority located in <paramref name="region"/> works it: the state's closures and those of its region.</summary>
    public WorkingCalendar InRegion(string? region) => new(State, years, declared, WeekendOverride, region);

    public bool IsWorkingDay(LocalDate date)
    {
        if (closures.ContainsKey(date))
        {
            return false;
        }

        if (workedWeekendDays.Contains(date))
        {
            return true;
        }

        if (holidays.Contains(date))
        {
            return false;
        }

        if (ownWeekend is not null && WeekendOverride!.AppliesOn(date))
        {
            return !ownWeekend.Contains(date.DayOfWeek);
        }

        return years.TryGetValue(date.Year, out var year) ? !year.Weekend.Contains(date.DayOfWeek) : !weekend.Contains(date.DayOfWeek);
    }

    /// <summary>The weekly rest days in force in <paramref name="year"/> for whoever works this calendar.</summary>
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
