using MutualAssistance.Contracts.Requests;
using MutualAssistance.Domain.Calendars;
using MutualAssistance.Domain.Clocks;
using NodaTime;

namespace MutualAssistance.Domain.Tests;

/// <summary>
/// Due times worked out by hand. Calendar-day periods start the day after the event and end at the end of
/// their last day, moved to the end of the next working day when the last day is not one (Reg. 1182/71 art. 3(4)).
/// </summary>
public sealed class DeadlineCalculatorTests
{
    private static Clock ClockOf(DateTimeOffset start, DeadlinePeriod period) => new()
    {
        Id = 1, Kind = ClockKind.Decision, Side = Side.Requested, ResponsibleAuthority = "XX-TEST",
        StartedAt = start, Period = period, State = ClockState.Running, Source = "test",
    };

    private static DateTimeOffset Due(Clock clock, WorkingCalendar calendar, string zone) =>
        DeadlineCalculator.Due(clock, calendar, Calendars.Zone(zone)) ?? throw new InvalidOperationException("paused");

    private static DateTimeOffset At(string iso) => DateTimeOffset.Parse(iso, System.Globalization.CultureInfo.InvariantCulture);

    [Fact]
    public void Seven_calendar_days_ending_on_a_weekday_end_that_evening()
    {
        // Received Mon 2025-03-03 10:00 Berlin. Day 1 is Tue 03-04, day 7 is Mon 03-10, a working day.
        // Due at the end of 03-10 = 2025-03-11 00:00 CET = 2025-03-10 23:00Z.
        var due = Due(ClockOf(At("2025-03-03T10:00:00+01:00"), DeadlinePeriod.CalendarDays(7)), Calendars.SaturdaySunday(), "Europe/Berlin");
        Assert.Equal(At("2025-03-10T23:00:00Z"), due);
    }

    [Fact]
    public void A_period_ending_on_a_Saturday_moves_to_the_end_of_Monday()
    {
        // Received Mon 2025-03-03; 5 days end on Sat 03-08, not a working day; next working day Mon 03-10.
        // Due at the end of 03-10 = 2025-03-10 23:00Z.
        var due = Due(ClockOf(At("2025-03-03T10:00:00+01:00"), DeadlinePeriod.CalendarDays(5)), Calendars.SaturdaySunday(), "Europe/Berlin");
        Assert.Equal(At("2025-03-10T23:00:00Z"), due);
    }

    [Fact]
    public void On_a_Friday_weekend_calendar_a_period_ending_on_Friday_moves_to_Saturday()
    {
        // Tehran (+03:30, no DST since 2022), weekend Friday only. Received Mon 2025-05-05 09:00; 4 days end on
        // Fri 05-09, a rest day; Sat 05-10 is a working day there. Due at the end of 05-10 = 05-11 00:00+03:30 = 05-10 20:30Z.
        var due = Due(ClockOf(At("2025-05-05T09:00:00+03:30"), DeadlinePeriod.CalendarDays(4)), Calendars.FridayOnly(), "Asia/Tehran");
        Assert.Equal(At("2025-05-10T20:30:00Z"), due);
    }

    [Fact]
    public void The_end_of_a_day_follows_daylight_saving_time()
    {
        // Berlin moves to CEST on Sun 2025-03-30. Received Thu 2025-03-20; 10 days end on Sun 03-30, so Mon 03-31;
        // the end of 03-31 is 04-01 00:00 CEST (+02:00) = 2025-03-31 22:00Z (an hour earlier in UTC than in winter).
        var due = Due(ClockOf(At("2025-03-20T12:00:00+01:00"), DeadlinePeriod.CalendarDays(10)), Calendars.SaturdaySunday(), "Europe/Berlin");
        Assert.Equal(At("2025-03-31T22:00:00Z"), due);
    }

    [Fact]
    public void Hour_periods_start_at_the_next_hour_and_count_elapsed_hours_across_a_daylight_saving_change()
    {
        // Reg. 1182/71 art. 3(1), 3(2)(a): the hour during which the event happens (12:00-13:00 CET) does not
        // count. 24 hours from Sat 2025-03-29 12:00 CET start at 13:00 CET (12:00Z) and end 2025-03-30 12:00Z,
        // which reads 14:00 CEST on the wall clock. (This test expected 11:00Z, plain elapsed time from the event,
        // before issue 24.)
        var start = At("2025-03-29T12:00:00+01:00");
        var due = Due(ClockOf(start, DeadlinePeriod.Hours(24)), Calendars.SaturdaySunday(), "Europe/Berlin");
        Assert.Equal(At("2025-03-30T12:00:00Z"), due);
        Assert.Equal(14, DeadlineCalculator.InZone(due, Calendars.Zone("Europe/Berlin")).Hour);
    }

    [Fact]
    public void Hour_periods_do_not_count_the_hour_of_the_event()
    {
        // Reg. 1182/71 art. 3(1), 3(2)(a): received Mon 2025-03-03 10:25 CET (09:25Z); the hour 10:00-11:00 does
        // not count, so 24 hours run from 11:00 CET and end Tue 03-04 11:00 CET = 2025-03-04 10:00Z.
        var due = Due(ClockOf(At("2025-03-03T10:25:00+01:00"), DeadlinePeriod.Hours(24)), Calendars.SaturdaySunday(), "Europe/Berlin");
        Assert.Equal(At("2025-03-04T10:00:00Z"), due);
    }

    [Fact]
    public void An_event_on_the_hour_still_loses_its_hour()
    {
        // Reg. 1182/71 art. 3(1): 10:00:00 falls during the hour 10:00-11:00, which does not count. Received
        // Mon 2025-03-03 10:00:00 CET (09:00Z): 24 hours from 11:00 CET end Tue 03-04 11:00 CET = 2025-03-04 10:00Z.
        var due = Due(ClockOf(At("2025-03-03T10:00:00+01:00"), DeadlinePeriod.Hours(24)), Calendars.SaturdaySunday(), "Europe/Berlin");
        Assert.Equal(At("2025-03-04T10:00:00Z"), due);
    }

    [Fact]
    public void Hour_periods_use_the_local_hour_of_a_half_hour_zone()
    {
        // Reg. 1182/71 art. 3(1), 3(2)(a), on India's hours (+05:30, no DST). Received Mon 2025-03-03 10:25 IST
        // (04:55Z): the hour 10:00-11:00 IST (04:30Z-05:30Z) does not count; 24 hours from 11:00 IST end
        // Tue 03-04 11:00 IST = 2025-03-04 05:30Z (a UTC hour would have given 05:00Z, elapsed time 04:55Z).
        var due = Due(ClockOf(At("2025-03-03T10:25:00+05:30"), DeadlinePeriod.Hours(24)), Calendars.SaturdaySunday(), "Asia/Kolkata");
        Assert.Equal(At("2025-03-04T05:30:00Z"), due);
    }

    [Fact]
    public void Extensions_and_pauses_of_an_hour_period_add_after_its_last_hour()
    {
        // 24 hours from Mon 2025-03-03 10:25 CET end 2025-03-04 10:00Z (art. 3(1), 3(2)(a)); an extension of one
        // day adds 24 hours and a finished pause of 2 h 30 min adds its length: 2025-03-05 12:30Z.
        var clock = ClockOf(At("2025-03-03T10:25:00+01:00"), DeadlinePeriod.Hours(24))
            .Extend(new Extension { At = At("2025-03-03T11:00:00+01:00"), By = "t", Days = 1, Reason = "r" })
            .Pause(At("2025-03-03T12:00:00+01:00"), "t", "r", RequestStatus.AwaitingInformation)
            .Resume(At("2025-03-03T14:30:00+01:00"));
        Assert.Equal(At("2025-03-05T12:30:00Z"), Due(clock, Calendars.SaturdaySunday(), "Europe/Berlin"));
    }

    [Fact]
    public void Working_days_skip_weekends_and_holidays_and_count_a_transferred_working_day()
    {
        // A hand-made state: Sat 2025-06-07 is worked (a transfer), Mon 06-09 and Tue 06-10 are holidays.
        // From Fri 06-06: Sat 06-07 (1, worked), Sun 06-08 rest, Mon/Tue holidays, Wed 06-11 (2), Thu 06-12 (3).
        // Due at the end of 06-12 in Moscow (+03:00) = 2025-06-12 21:00Z.
        var calendar = new WorkingCalendar("XX", [Calendars.Year("XX", 2025, [IsoDayOfWeek.Saturday, IsoDayOfWeek.Sunday],
            holidays: [new LocalDate(2025, 6, 9), new LocalDate(2025, 6, 10)], worked: [new LocalDate(2025, 6, 7)])]);
        var due = Due(ClockOf(At("2025-06-06T15:00:00+03:00"), DeadlinePeriod.WorkingDays(3)), calendar, "Europe/Moscow");
        Assert.Equal(At("2025-06-12T21:00:00Z"), due);
    }

    [Fact]
    public void A_finished_pause_adds_the_days_it_lasted()
    {
        // 30 days from Mon 2025-03-03 would end on Wed 04-02. Paused Mon 03-10 10:00 to Sat 03-15 09:00: 5 calendar days.
        // 03-03 + 35 = Mon 04-07, a working day; due at its end = 04-08 00:00 CEST = 2025-04-07 22:00Z.
        var clock = ClockOf(At("2025-03-03T10:00:00+01:00"), DeadlinePeriod.CalendarDays(30))
            .Pause(At("2025-03-10T10:00:00+01:00"), "t", "more information", RequestStatus.AwaitingInformation)
            .Resume(At("2025-03-15T09:00:00+01:00"));
        Assert.Equal(At("2025-04-07T22:00:00Z"), Due(clock, Calendars.SaturdaySunday(), "Europe/Berlin"));
    }

    [Fact]
    public void A_running_pause_leaves_no_due_time()
    {
        var clock = ClockOf(At("2025-03-03T10:00:00+01:00"), DeadlinePeriod.CalendarDays(30))
            .Pause(At("2025-03-10T10:00:00+01:00"), "t", "postponed", RequestStatus.Postponed);
        Assert.Null(DeadlineCalculator.Due(clock, Calendars.SaturdaySunday(), Calendars.Zone("Europe/Berlin")));
    }

    [Fact]
    public void An_extension_adds_days_to_the_period()
    {
        // 30 + 30 days from Mon 2025-03-03 end on Fri 05-02, a working day: due 05-03 00:00 CEST = 2025-05-02 22:00Z.
        var clock = ClockOf(At("2025-03-03T10:00:00+01:00"), DeadlinePeriod.CalendarDays(30))
            .Extend(new Extension { At = At("2025-03-20T10:00:00+01:00"), By = "t", Days = 30, Reason = "complex case" });
        Assert.Equal(At("2025-05-02T22:00:00Z"), Due(clock, Calendars.SaturdaySunday(), "Europe/Berlin"));
    }

    [Fact]
    public void Pause_and_extension_add_up_in_working_days()
    {
        // 5 working days from Mon 2025-03-03 (Berlin): Tue..Fri (4), Mon 03-10 (5). Extension +2 working days,
        // pause Tue 03-04 to Thu 03-06: working days after 03-04 up to 03-06 = Wed, Thu = 2. 5 + 2 + 2 = 9:
        // Tue 03-04 .. Fri 03-07 (4), Mon 03-10 .. Fri 03-14 (9). Due at the end of 03-14 = 2025-03-14 23:00Z.
        var clock = ClockOf(At("2025-03-03T10:00:00+01:00"), DeadlinePeriod.WorkingDays(5))
            .Extend(new Extension { At = At("2025-03-03T11:00:00+01:00"), By = "t", Days = 2, Reason = "r" })
            .Pause(At("2025-03-04T10:00:00+01:00"), "t", "r", RequestStatus.AwaitingInformation)
            .Resume(At("2025-03-06T10:00:00+01:00"));
        Assert.Equal(At("2025-03-14T23:00:00Z"), Due(clock, Calendars.SaturdaySunday(), "Europe/Berlin"));
    }
}
