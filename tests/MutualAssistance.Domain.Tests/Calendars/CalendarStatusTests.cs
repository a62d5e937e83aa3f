using MutualAssistance.Testing;
using System.Collections.Immutable;
using MutualAssistance.Contracts.Requests;
using MutualAssistance.Domain.Calendars;
using MutualAssistance.Domain.Clocks;
using MutualAssistance.Domain.ReferenceData;
using MutualAssistance.Domain.Requests;
using NodaTime;

namespace MutualAssistance.Domain.Tests;

/// <summary>
/// Calendars that are complete or say they are not (issue 24): each year official or provisional, the days the law
/// already fixes for 2027 worked by hand from the rule each state's law states, and clocks whose due time crossed a
/// provisional or missing year saying so.
/// </summary>
public sealed class CalendarStatusTests
{
    private static DateTimeOffset Z(string iso) => DateTimeOffset.Parse(iso, System.Globalization.CultureInfo.InvariantCulture);

    private static LocalDate D(string iso) => NodaTime.Text.LocalDatePattern.Iso.Parse(iso).Value;

    private static CalendarYear Year(string state, int year) => ShippedData.Set.Calendars.For(state).Years[year];

    private static bool Works(string state, string date) => ShippedData.Set.Calendars.For(state).IsWorkingDay(D(date));

    [Fact]
    public void Every_shipped_year_is_official_only_where_the_years_decree_or_notice_is_cited()
    {
        // The table of docs/domain.md: official where the year's act was read, provisional everywhere else.
        string[] official = ["BY/2025", "BY/2026", "CN/2025", "CN/2026", "IN/2025", "KG/2025", "KZ/2025", "KZ/2026", "PK/2025", "RU/2025", "RU/2026", "UZ/2025"];
        foreach (var calendar in ShippedData.Set.Calendars.All)
        {
            foreach (var year in calendar.Years.Values)
            {
                var key = $"{year.State}/{year.Year}";
                Assert.True(official.Contains(key) == (year.Status == CalendarStatus.Official), $"{key} is {year.Status}");
                Assert.True(year.Status == CalendarStatus.Official || !string.IsNullOrWhiteSpace(year.Pending), $"{key} says nothing of what it awaits");
                Assert.True(year.Status == CalendarStatus.Provisional || year.Holidays.All(h => !h.Estimated), $"{key} is official with an estimated day");
            }
        }

        Assert.Equal(11, ShippedData.Set.Calendars.All.Count(c => c.Years.ContainsKey(2027) && c.Years[2027].Status == CalendarStatus.Provisional));
    }

    [Theory]
    [InlineData("""{ "state": "CN", "year": 2025, "weekend": ["saturday", "sunday"], "source": "x" }""", "no status")]
    [InlineData("""{ "state": "CN", "year": 2025, "status": "complete", "weekend": ["saturday", "sunday"], "source": "x" }""", "status 'complete'")]
    [InlineData("""{ "state": "CN", "year": 2025, "status": "provisional", "weekend": ["saturday", "sunday"], "source": "x" }""", "must say what it awaits")]
    [InlineData("""{ "state": "CN", "year": 2025, "status": "official", "weekend": ["saturday", "sunday"], "holidays": [{ "date": "2025-01-29", "name": "Spring Festival", "estimated": true }], "source": "x" }""", "estimated holiday (2025-01-29)")]
    public void A_year_without_a_status_or_provisional_without_saying_why_or_official_with_an_estimated_day_stops_the_load(string json, string expected)
    {
        var folder = ReferenceDataTests.CopyOfShippedData();
        try
        {
            File.WriteAllText(Path.Combine(folder.FullName, "calendars", "CN", "2025.json"), json);
            var error = Assert.Throws<InvalidDataException>(() => ReferenceDataFiles.Load(folder.FullName));
            Assert.Contains("2025.json", error.Message, StringComparison.Ordinal);
            Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    [Theory]
    // RU, Labour Code art. 112 part 2: a day off coinciding with a holiday moves to the next working day.
    [InlineData("RU", "2027-05-01", false)] // Spring and Labour Day, a Saturday
    [InlineData("RU", "2027-05-03", false)] // ... moved to Monday
    [InlineData("RU", "2027-05-04", true)]
    [InlineData("RU", "2027-05-10", false)] // Victory Day, Sun 9 May -> Mon 10 May
    [InlineData("RU", "2027-06-14", false)] // Russia Day, Sat 12 Jun -> Mon 14 Jun
    // KZ, Law 'On holidays' art. 5: a state or national holiday on a weekend gives the next working day off.
    [InlineData("KZ", "2027-01-04", false)] // New Year, Sat 2 Jan
    [InlineData("KZ", "2027-03-24", false)] // Nauryz, Sun 21 Mar (22-23 Mar are Nauryz themselves)
    [InlineData("KZ", "2027-03-25", true)]
    [InlineData("KZ", "2027-05-03", false)] // Unity Day, Sat 1 May
    [InlineData("KZ", "2027-05-10", false)] // Victory Day, Sun 9 May
    [InlineData("KZ", "2027-03-15", false)] // Constitution Day under the 2026 Constitution, art. 94
    [InlineData("KZ", "2027-05-17", true)]  // Kurban Ait (est. Sun 16 May) does not move: Labour Code art. 84
    // TJ, Law 'On holidays': a holiday on Saturday or Sunday gives the next working day off.
    [InlineData("TJ", "2027-03-25", false)] // Navruz, Sun 21 Mar (22-24 Mar are Navruz themselves)
    [InlineData("TJ", "2027-06-28", false)] // National Unity Day, Sun 27 Jun
    [InlineData("TJ", "2027-11-08", false)] // Constitution Day, Sat 6 Nov
    // UZ, Labour Code art. 208.
    [InlineData("UZ", "2027-03-22", false)] // Navruz, Sun 21 Mar
    [InlineData("UZ", "2027-05-10", false)] // Day of Remembrance and Honour, Sun 9 May
    // BY, Decree No. 157: Radunitsa, the 9th day after Orthodox Easter (Sun 2 May 2027).
    [InlineData("BY", "2027-05-11", false)]
    [InlineData("BY", "2027-05-10", true)]
    // CN, Order No. 795: Spring Festival from the eve (Fri 5 Feb; lunar new year Sat 6 Feb) for four days, the
    // weekend two made up on working days (art. 6), estimated as Tue 9 and Wed 10 Feb.
    [InlineData("CN", "2027-02-05", false)]
    [InlineData("CN", "2027-02-08", false)]
    [InlineData("CN", "2027-02-10", false)]
    [InlineData("CN", "2027-02-11", true)]
    [InlineData("CN", "2027-06-09", false)] // Dragon Boat, 5th day of the 5th lunar month
    [InlineData("CN", "2027-09-15", false)] // Mid-Autumn, 15th day of the 8th lunar month
    public void The_2027_days_the_law_already_fixes(string state, string date, bool working) =>
        Assert.Equal(working, Works(state, date));

    [Theory]
    [InlineData("CN", "2027-02-06", true)]  // lunar, computed
    [InlineData("CN", "2027-10-01", false)] // fixed by the Regulations
    [InlineData("KZ", "2027-05-16", true)]  // Kurban Ait
    [InlineData("IR", "2027-03-10", true)]  // Eid al-Fitr
    [InlineData("IR", "2027-03-21", false)] // Nowruz, a solar date
    [InlineData("RU", "2027-05-03", false)] // art. 112, a rule, not an estimate
    public void Lunar_days_not_yet_announced_are_marked_estimated_and_fixed_ones_are_not(string state, string date, bool estimated) =>
        Assert.Equal(estimated, Year(state, 2027).Holidays.Single(h => h.Date == D(date)).Estimated);

    [Theory]
    [InlineData("UZ", "2026-05-27")] // Kurban Hayit (the decree's 28-29 May follow it)
    [InlineData("KG", "2026-05-27")] // Kurman Ait
    [InlineData("TJ", "2026-05-27")] // Idi Qurbon
    [InlineData("PK", "2026-06-25")] // Ashura, 9 Muharram 1448
    [InlineData("PK", "2026-06-26")] // Ashura, 10 Muharram 1448
    [InlineData("IR", "2026-12-23")] // 13 Rajab 1448, Birthday of Imam Ali
    [InlineData("IR", "2026-08-03")] // Arbaeen
    public void The_2026_days_found_missing_are_there_estimated_with_their_own_source(string state, string date)
    {
        Assert.False(Works(state, date));
        var day = Year(state, 2026).Holidays.Single(h => h.Date == D(date));
        Assert.True(day.Estimated);
        Assert.False(string.IsNullOrWhiteSpace(day.Source));
    }

    // A hand-made CN: 2026 official, 2027 provisional with 1 Jan its only holiday in January, no 2028 file.
    private static WorkingCalendar China(CalendarStatus status2027 = CalendarStatus.Provisional, LocalDate[]? extra2027 = null) => new("CN",
    [
        Calendars.Year("CN", 2026, [IsoDayOfWeek.Saturday, IsoDayOfWeek.Sunday]),
        Calendars.Year("CN", 2027, [IsoDayOfWeek.Saturday, IsoDayOfWeek.Sunday], [new LocalDate(2027, 1, 1), .. extra2027 ?? []]) with
        {
            Status = status2027,
            Pending = status2027 == CalendarStatus.Provisional ? "lunar holidays estimated, State Council notice not yet published" : null,
        },
    ]);

    private static Clock Days(int days, DateTimeOffset start, PeriodUnit unit = PeriodUnit.CalendarDays) => new()
    {
        Id = 1, Kind = ClockKind.Decision, Side = Side.Requested, ResponsibleAuthority = "CN-MOJ", StartedAt = start,
        Period = new DeadlinePeriod(days, unit), State = ClockState.Running, Source = "test",
    };

    [Fact]
    public void A_due_time_computed_over_a_provisional_or_missing_year_says_so_and_why()
    {
        var shanghai = Calendars.Zone("Asia/Shanghai");

        // 30 days from Mon 2026-11-02 10:00 Beijing end on Wed 12-02: within official 2026, nothing to say.
        var inside = Days(30, Z("2026-11-02T02:00:00Z")).WithDueFrom(China(), shanghai);
        Assert.Equal(Z("2026-12-02T16:00:00Z"), inside.DueAt);
        Assert.Null(inside.CalendarNote);

        // 30 days from Tue 2026-12-15 end on Thu 2027-01-14: the span crosses provisional 2027.
        var across = Days(30, Z("2026-12-15T02:00:00Z")).WithDueFrom(China(), shanghai);
        Assert.Equal(Z("2027-01-14T16:00:00Z"), across.DueAt);
        Assert.Equal("CN 2027 is provisional: lunar holidays estimated, State Council notice not yet published", across.CalendarNote);

        // 400 days end in 2028, for which there is no file: weekends only, said as well, year by year.
        var beyond = Days(400, Z("2026-12-15T02:00:00Z")).WithDueFrom(China(), shanghai);
        Assert.Equal(
            "CN 2027 is provisional: lunar holidays estimated, State Council notice not yet published; no calendar for CN 2028: weekends only",
            beyond.CalendarNote);

        // Hour periods count elapsed hours on no calendar; a paused clock has no due time and nothing to say.
        Assert.Null(Days(24, Z("2026-12-31T02:00:00Z"), PeriodUnit.Hours).WithDueFrom(China(), shanghai).CalendarNote);
        Assert.Null(across.Pause(Z("2026-12-16T02:00:00Z"), "h", "r", RequestStatus.AwaitingInformation).WithDueFrom(China(), shanghai).CalendarNote);

        // Once 2027 is official the same clock says nothing.
        Assert.Null(Days(30, Z("2026-12-15T02:00:00Z")).WithDueFrom(China(CalendarStatus.Official), shanghai).CalendarNote);
    }

    [Fact]
    public void Loading_the_official_schedule_recalculates_open_clocks_and_records_the_move_or_the_confirmation()
    {
        // Treaty decision, 30 days from Tue 2026-12-15 10:00 Beijing: last day Thu 2027-01-14, on provisional CN 2027.
        var s = new Scenario(TestReferenceData.TreatyBasis, Z("2026-12-15T02:00:00Z"));
        var decision = s.Request.Clocks.Single(c => c.Kind == ClockKind.Decision);
        Assert.Equal(Z("2027-01-14T16:00:00Z"), decision.DueAt);
        Assert.StartsWith("CN 2027 is provisional: ", decision.CalendarNote, StringComparison.Ordinal);
        var view = s.Request.ToView(Scenario.Handler, ShippedData.Set).Clocks.Single(c => c.Kind == ClockKind.Decision);
        Assert.True(view.ProvisionalCalendar);
        Assert.Equal(decision.CalendarNote, view.CalendarNote);

        // The official schedule confirms the day: nothing moves, the clock no longer says its due time may move.
        ReferenceDataSet With(WorkingCalendar cn, string version) =>
            ShippedData.Set.WithCalendars(new CalendarBook(ShippedData.Set.Calendars.All.Where(c => c.State != "CN").Append(
                new WorkingCalendar("CN", ShippedData.Set.Calendars.For("CN").Years.Values.Where(y => y.Year != 2027).Concat(cn.Years.Values.Where(y => y.Year == 2027))))), version);
        var confirmed = s.Request.Recalculate(Z("2026-12-16T00:00:00Z"), With(China(CalendarStatus.Official), "official"), "CN 2027 official schedule loaded");
        Assert.Equal(s.Request.Version + 1, confirmed.Version);
        Assert.Equal(Z("2027-01-14T16:00:00Z"), confirmed.Clocks.Single(c => c.Kind == ClockKind.Decision).DueAt);
        Assert.Null(confirmed.Clocks.Single(c => c.Kind == ClockKind.Decision).CalendarNote);
        Assert.Contains("decision: due 2027-01-14T16:00:00Z unchanged, now on official calendars", confirmed.NewEvents[^1].ClockChanges);
        Assert.Equal("CN 2027 official schedule loaded", confirmed.NewEvents[^1].Reason);

        // An official schedule that closes Thu 01-14 moves the due time to the end of Fri 01-15, with its cause.
        var moved = s.Request.Recalculate(Z("2026-12-16T00:00:00Z"), With(China(CalendarStatus.Official, [new LocalDate(2027, 1, 14)]), "official-2"), "CN 2027 official schedule loaded");
        Assert.Equal(Z("2027-01-15T16:00:00Z"), moved.Clocks.Single(c => c.Kind == ClockKind.Decision).DueAt);
        Assert.Contains("decision: due moved from 2027-01-14T16:00:00Z to 2027-01-15T16:00:00Z", moved.NewEvents[^1].ClockChanges);
    }

    [Fact]
    public void A_regional_closure_closes_only_the_authorities_located_in_its_region()
    {
        // Iranian provinces close offices for heat or pollution (the IR 2025 file's note); Tehran's closure on
        // Sat 2026-07-25 closes IR-JUD and IR-MOJ (both seated in Tehran, authorities.json), not IR-JUD-SEMNAN (Semnan).
        var located = new ReferenceDataSet(
            new Authorities.AuthorityDirectory(ShippedData.Set.Authorities.All.Select(a => a.Code switch
            {
                "IR-JUD" => a with { Location = new Authorities.AuthorityLocation("Tehran", "Tehran") },
                "IR-JUD-SEMNAN" => a with { Location = new Authorities.AuthorityLocation("Semnan", "Semnan") },
                _ => a,
            })),
            ShippedData.Set.Calendars, ShippedData.Set.Policies, ShippedData.Set.Instruments, "located");
        var day = new LocalDate(2026, 7, 25);
        var closed = located.WithClosures([new DeclaredClosure("IR", day, "heat", "admin-1", "IR-JUD", Z("2026-07-24T10:00:00Z"), "tehran")], 1);
        Assert.False(closed.CalendarOf("IR-JUD").Calendar.IsWorkingDay(day));
        Assert.True(closed.CalendarOf("IR-JUD-SEMNAN").Calendar.IsWorkingDay(day));
        Assert.False(closed.CalendarOf("IR-MOJ").Calendar.IsWorkingDay(day));
        Assert.True(closed.Calendars.For("IR").IsWorkingDay(day));

        // A region where no authority of the state is located would close nothing: refused, naming the known ones.
        var errors = ClosureRules.Check(day, "heat", declaring: true, Z("2026-07-24T10:00:00Z"), "IR", "Isfahan", located);
        Assert.Contains("Semnan, Tehran", errors["region"].ToString(), StringComparison.Ordinal);
        Assert.Empty(ClosureRules.Check(day, "heat", declaring: true, Z("2026-07-24T10:00:00Z"), "IR", "Tehran", located));
    }

    [Fact]
    public void An_Iranian_ministry_closed_on_Thursdays_is_expressed_by_its_own_weekend()
    {
        // The lead: ministry headquarters in Tehran closed on Thursdays under a 2002 Cabinet decision (unconfirmed, so
        // not in the shipped data). An authority's weekend {thursday, friday} without from/until expresses it.
        // 10 calendar days from Mon 2027-01-04 10:00 Tehran end on Thu 01-14: at the end of that day for IR-MOJ
        // (20:30Z, Tehran +03:30); a Thursday-closed ministry's period ends on Sat 01-16.
        var thursdays = new WeekendOverride([IsoDayOfWeek.Thursday, IsoDayOfWeek.Friday], "Cabinet decision of 2002 (lead, unconfirmed)");
        var iran = ShippedData.Set.Calendars.For("IR");
        var tehran = Calendars.Zone("Asia/Tehran");
        var clock = Days(10, Z("2027-01-04T06:30:00Z"));
        Assert.Equal(Z("2027-01-14T20:30:00Z"), DeadlineCalculator.Due(clock, iran, tehran));
        Assert.Equal(Z("2027-01-16T20:30:00Z"), DeadlineCalculator.Due(clock, iran.WithWeekend(thursdays), tehran));
        Assert.False(iran.WithWeekend(thursdays).IsWorkingDay(new LocalDate(2027, 1, 7)));
        Assert.True(iran.WithWeekend(thursdays).IsWorkingDay(new LocalDate(2027, 1, 9)));
    }
}
