using MutualAssistance.Testing;
using System.Collections.Immutable;
using MutualAssistance.Contracts.Requests;
using MutualAssistance.Domain.Calendars;
using MutualAssistance.Domain.Clocks;
using MutualAssistance.Domain.Requests;
using NodaTime;

namespace MutualAssistance.Domain.Tests;

/// <summary>
/// Calendars as the instruments and the states say them, worked by hand on the shipped data: Reg. 1182/71
/// art. 3(5) over China's 2026 Spring Festival, an Iranian authority's own Thursday closures, and a closure a state
/// declares at run time.
/// </summary>
public sealed class ClosureAndOverrideTests
{
    private static DateTimeOffset Z(string iso) => DateTimeOffset.Parse(iso, System.Globalization.CultureInfo.InvariantCulture);

    private static Clock ThreeDays(DateTimeOffset start) => new()
    {
        Id = 1, Kind = ClockKind.Decision, Side = Side.Requested, ResponsibleAuthority = "CN-MOJ",
        StartedAt = start, Period = DeadlinePeriod.CalendarDays(3), State = ClockState.Running, Source = "test",
    };

    private static DateTimeOffset? DueOn(Clock clock, string authority)
    {
        var (calendar, zone) = ShippedData.Set.CalendarOf(authority);
        return DeadlineCalculator.Due(clock, calendar, zone);
    }

    [Fact]
    public void A_period_of_two_days_or_more_includes_two_working_days_over_the_Spring_Festival()
    {
        // CN 2026: Sat 02-14 is worked; 02-15..02-23 are days off; Tue 02-24 works again.
        // Event Sat 02-14 10:00 Beijing, 3 days: the last day Tue 02-17 is off, so art. 3(4) moves it to Tue 02-24;
        // the period (02-15..02-24) then holds one working day (02-24). Art. 3(5) asks for two: it ends at the end
        // of Wed 02-25 = 02-25 16:00Z.
        Assert.Equal(Z("2026-02-25T16:00:00Z"), DueOn(ThreeDays(Z("2026-02-14T02:00:00Z")), "CN-MOJ"));

        // Event Fri 02-13: 3 days end on Mon 02-16 (off) -> 02-24; the period holds the worked Sat 02-14 and 02-24:
        // two working days, so art. 3(4) alone decides: 02-24 16:00Z.
        Assert.Equal(Z("2026-02-24T16:00:00Z"), DueOn(ThreeDays(Z("2026-02-13T02:00:00Z")), "CN-MOJ"));
    }

    [Fact]
    public void An_Iranian_authority_closed_on_Thursdays_by_a_provincial_decision_works_its_own_weekend_while_it_lasts()
    {
        // UNCAC (target clocks of policy "treaty") acknowledgement, 10 days from Mon 2025-11-03 10:00 Tehran (06:30Z): the last day is Thu 11-13.
        // IR-JUD keeps the state's Friday weekend: due at the end of 11-13 = 11-13 20:30Z. Semnan's judiciary was
        // closed on Thursdays (and Fridays) from 2025-10-16 to 2026-03-20: the period ends on Sat 11-15 = 11-15 20:30Z.
        var received = Z("2025-11-03T06:30:00Z");
        FileRequest To(string requested) => new()
        {
            RequestingAuthority = "KZ-GP", RequestedAuthority = requested, LegalBasis = "uncac",
            AssistanceTypes = [AssistanceType.TakingEvidence], Subject = "s", SummaryOfFacts = "f",
        };

        var filer = Scenario.Filer;
        var national = AssistanceRequest.File(Guid.NewGuid(), To("IR-JUD"), filer, received, ShippedData.Set);
        var provincial = AssistanceRequest.File(Guid.NewGuid(), To("IR-JUD-SEMNAN"), filer, received, ShippedData.Set);
        Assert.Equal(Z("2025-11-13T20:30:00Z"), national.Clocks.Single(c => c.Kind == ClockKind.Acknowledgement).DueAt);
        Assert.Equal(Z("2025-11-15T20:30:00Z"), provincial.Clocks.Single(c => c.Kind == ClockKind.Acknowledgement).DueAt);

        // After the decision lapsed (2026-03-20) Thursdays work again: Thu 2026-04-16 is an ordinary working day for both.
        var (calendar, _) = ShippedData.Set.CalendarOf("IR-JUD-SEMNAN");
        Assert.True(calendar.IsWorkingDay(new LocalDate(2026, 4, 16)));
        Assert.False(calendar.IsWorkingDay(new LocalDate(2026, 1, 15)));
    }

    [Fact]
    public void A_declared_closure_moves_a_due_time_and_the_move_is_recorded_with_its_reason()
    {
        // EIO acknowledgement of a request received Mon 2025-03-03: due at the end of Mon 03-10 (16:00Z). China
        // declares 03-10 closed: the last day moves to Tue 03-11, due 03-11 16:00Z. The decision clock (due 04-02) stays.
        var s = new Scenario();
        var closed = ShippedData.Set.WithClosures(
            [new DeclaredClosure("CN", new LocalDate(2025, 3, 10), "mourning day", "admin-1", "CN-MOJ", Z("2025-03-04T01:00:00Z"))], 7);
        var moved = s.Request.Recalculate(Z("2025-03-04T02:00:00Z"), closed, "CN declared 2025-03-10 closed (mourning day)");
        Assert.Equal(Z("2025-03-11T16:00:00Z"), moved.Clocks.Single(c => c.Kind == ClockKind.Acknowledgement).DueAt);
        Assert.Equal(Z("2025-04-02T16:00:00Z"), moved.Clocks.Single(c => c.Kind == ClockKind.Decision).DueAt);
        Assert.Equal(s.Request.Version + 1, moved.Version);
        var entry = moved.NewEvents[^1];
        Assert.Equal("recalculation", entry.Event);
        Assert.Equal("CN declared 2025-03-10 closed (mourning day)", entry.Reason);
        Assert.Equal(["acknowledgement: due moved from 2025-03-10T16:00:00Z to 2025-03-11T16:00:00Z"], entry.ClockChanges);

        // Recalculating again on the same data moves nothing and writes nothing; so does a closure on another state.
        Assert.Equal(moved.Version, moved.Recalculate(Z("2025-03-04T03:00:00Z"), closed).Version);
        var elsewhere = ShippedData.Set.WithClosures([new DeclaredClosure("RU", new LocalDate(2025, 3, 10), "x", "a", "RU-GP", Z("2025-03-04T01:00:00Z"))], 8);
        Assert.Equal(s.Request.Version, s.Request.Recalculate(Z("2025-03-04T02:00:00Z"), elsewhere).Version);
    }

    [Fact]
    public void A_closure_declared_after_the_breach_that_puts_the_due_time_ahead_withdraws_the_breach_in_a_new_entry()
    {
        // Issue 24. EIO acknowledgement (art. 16(1): within a week) of a request received Mon 2025-03-03: due at the end
        // of Mon 03-10 in Beijing (16:00Z). At Tue 03-11 10:00 Beijing (02:00Z) it has breached (level 1). China then
        // declares Mon 03-10 closed: the week ends on Tue 03-11 (Reg. 1182/71 art. 3(4)), due 03-11 16:00Z, which is
        // ahead: the clock runs again at level 0; the earlier breach entries stay (append-only), the recalculation
        // records the withdrawal, and the breach and level 1 are recorded again only when the new due time passes.
        var s = new Scenario().At(Z("2025-03-11T02:00:00Z"));
        s.Evaluate();
        Assert.Equal((ClockState.Breached, 1), (s.Clock(ClockKind.Acknowledgement).State, s.Clock(ClockKind.Acknowledgement).EscalationLevel));
        var before = s.Request.NewEvents;

        var closed = ShippedData.Set.WithClosures(
            [new DeclaredClosure("CN", new LocalDate(2025, 3, 10), "mourning day", "admin-1", "CN-MOJ", Z("2025-03-11T01:00:00Z"))], 7);
        var moved = s.Request.Recalculate(s.Now, closed, "CN declared 2025-03-10 closed (mourning day)");
        var clock = moved.Clocks.Single(c => c.Kind == ClockKind.Acknowledgement);
        Assert.Equal((ClockState.Running, 0, (DateTimeOffset?)null, Z("2025-03-11T16:00:00Z")), (clock.State, clock.EscalationLevel, clock.BreachedAt, clock.DueAt!.Value));
        Assert.Equal([50, 75], clock.WarningsRecorded);
        Assert.Equal(0, moved.EscalationLevel);
        Assert.Equal(before, moved.NewEvents.Take(before.Length));
        Assert.Equal(
            [
                "acknowledgement: due moved from 2025-03-10T16:00:00Z to 2025-03-11T16:00:00Z",
                "acknowledgement: no longer breached (breached 2025-03-10T16:00:00Z, escalation level 1): due 2025-03-11T16:00:00Z is ahead, the ladder starts again from it",
            ],
            Assert.Single(moved.NewEvents, e => e.Event == "recalculation").ClockChanges);

        // Nothing more until the new due time; then the breach and level 1 again (no warnings again), level 2 a week on.
        Assert.Equal(Z("2025-03-11T16:00:00Z"), moved.NextEventAt(closed));
        var (again, recorded) = moved.Evaluate(Z("2025-03-11T16:00:00Z"), closed);
        Assert.Equal([(ClockEventKind.Breach, 0), (ClockEventKind.Escalation, 1)], recorded.Where(e => e.Kind == ClockKind.Acknowledgement).Select(e => (e.Event, e.Value)));
        var level2 = again.Clocks.Single(c => c.Kind == ClockKind.Acknowledgement).Next(closed.Policies.LadderFor(LegalBases.Eio, ClockKind.Acknowledgement))!;
        Assert.Equal((ClockEventKind.Escalation, 2, Z("2025-03-18T16:00:00Z")), (level2.Event, level2.Value, level2.DueAt));
        Assert.Equal(Z("2025-03-11T16:00:00Z"), again.Clocks.Single(c => c.Kind == ClockKind.Acknowledgement).BreachedAt);

        // Declared only after the new due time has passed too, the clock stays breached as recorded.
        var late = s.Request.Recalculate(Z("2025-03-12T02:00:00Z"), closed, "late");
        Assert.Equal(Z("2025-03-10T16:00:00Z"), late.Clocks.Single(c => c.Kind == ClockKind.Acknowledgement).BreachedAt);
        Assert.Equal(ClockState.Breached, late.Clocks.Single(c => c.Kind == ClockKind.Acknowledgement).State);
    }

    [Fact]
    public void A_declared_closure_closes_even_a_transferred_working_day()
    {
        var calendar = ShippedData.Set.Calendars.For("CN");
        var worked = new LocalDate(2026, 2, 14);
        Assert.True(calendar.IsWorkingDay(worked));
        Assert.False(calendar.WithClosures([new DeclaredClosure("CN", worked, "storm", "a", "CN-MOJ", DateTimeOffset.UnixEpoch)]).IsWorkingDay(worked));
    }

    [Fact]
    public void Only_an_admin_of_an_authority_of_that_state_may_change_its_calendar()
    {
        Actor Admin(string authority) => new() { Subject = "a", Authority = authority, Role = Role.Admin };
        Assert.Null(ClosureRules.Refusal("CN", Admin("CN-SPP"), ShippedData.Set));
        Assert.NotNull(ClosureRules.Refusal("CN", Admin("RU-GP"), ShippedData.Set));
        Assert.NotNull(ClosureRules.Refusal("CN", Scenario.Handler, ShippedData.Set));
        Assert.NotNull(ClosureRules.Refusal("CN", Scenario.RequestedSupervisor, ShippedData.Set));
    }

    [Fact]
    public void Filing_rules_decide_who_may_file_for_which_side()
    {
        var request = new Scenario().Request.Filed;
        Assert.Null(FilingRules.Refusal(request, Scenario.Filer));
        Assert.Null(FilingRules.Refusal(request, Scenario.Handler));
        Assert.NotNull(FilingRules.Refusal(request, new Actor { Subject = "f", Authority = "CN-MOJ", Role = Role.Filer }));
        Assert.NotNull(FilingRules.Refusal(request, Scenario.Viewer));
        Assert.NotNull(FilingRules.Refusal(request, Scenario.Stranger));
        var refused = AssistanceRequest.TryFile(Guid.NewGuid(), request, Scenario.Viewer, new Scenario().Now, ShippedData.Set);
        Assert.Equal(FilingOutcome.Forbidden, refused.Outcome);
        Assert.Null(refused.Request);
        Assert.Equal(FilingRules.Refusal(request, Scenario.Viewer), refused.Detail);
        var thrown = Assert.Throws<InvalidOperationException>(() => AssistanceRequest.File(Guid.NewGuid(), request, Scenario.Viewer, new Scenario().Now, ShippedData.Set));
        Assert.Contains(refused.Detail!, thrown.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Filing_rules_name_every_missing_field()
    {
        var empty = new FileRequest
        {
            RequestingAuthority = null!, RequestedAuthority = "XX-NONE", LegalBasis = null,
            AssistanceTypes = [], Subject = null!, SummaryOfFacts = " ",
        };
        var errors = FilingRules.Check(empty, Z("2025-03-03T02:00:00Z"), ShippedData.Set);
        Assert.Equal(
            ImmutableSortedSet.Create("assistanceTypes", "legalBasis", "requestedAuthority", "requestingAuthority", "subject", "summaryOfFacts"),
            errors.Keys.ToImmutableSortedSet());
        Assert.Contains("Unknown authority", errors["requestedAuthority"].ToString(), StringComparison.Ordinal);
    }
}
