using MutualAssistance.Testing;
using MutualAssistance.Contracts.Requests;
using MutualAssistance.Domain.Clocks;
using static MutualAssistance.Contracts.Requests.RequestAction;

namespace MutualAssistance.Domain.Tests;

/// <summary>
/// The EIO decision clock of a request received Mon 2025-03-03 02:00Z runs to Wed 04-02 16:00Z (734 hours):
/// warnings at 50% (03-18 09:00Z) and 75% (03-26 00:30Z), breach and level 1 at 04-02 16:00Z,
/// level 2 seven days later (04-09 16:00Z), level 3 thirty days later (05-02 16:00Z).
/// The acknowledgement clock is stopped first so that only the decision clock speaks.
/// </summary>
public sealed class EscalationTests
{
    private static DateTimeOffset Z(string iso) => DateTimeOffset.Parse(iso, System.Globalization.CultureInfo.InvariantCulture);

    private static Scenario Acknowledged() => new Scenario().Do(Acknowledge, Scenario.Handler);

    [Fact]
    public void Each_warning_breach_and_level_is_recorded_once_when_it_falls_due()
    {
        var s = Acknowledged();
        Assert.Empty(s.At(Z("2025-03-18T08:59:59Z")).Evaluate());
        Assert.Equal([(ClockEventKind.Warning, 50)], Events(s.At(Z("2025-03-18T09:00:00Z")).Evaluate()));
        Assert.Empty(s.Evaluate());
        Assert.Equal([(ClockEventKind.Warning, 75)], Events(s.At(Z("2025-03-26T00:30:00Z")).Evaluate()));
        Assert.Equal([(ClockEventKind.Breach, 0), (ClockEventKind.Escalation, 1)], Events(s.At(Z("2025-04-02T16:00:00Z")).Evaluate()));
        Assert.Equal(ClockState.Breached, s.Clock(ClockKind.Decision).State);
        Assert.Empty(s.At(Z("2025-04-09T15:59:59Z")).Evaluate());
        Assert.Equal([(ClockEventKind.Escalation, 2)], Events(s.At(Z("2025-04-09T16:00:00Z")).Evaluate()));
        Assert.Equal([(ClockEventKind.Escalation, 3)], Events(s.At(Z("2025-05-02T16:00:00Z")).Evaluate()));
        Assert.Empty(s.At(Z("2026-01-01T00:00:00Z")).Evaluate());
        Assert.Equal(3, s.Request.EscalationLevel);
        Assert.Equal("decision: escalation - level 3: consultation with the other state (due 2025-05-02T16:00:00Z)", s.Request.NewEvents[^1].ClockChanges[0]);
    }

    [Fact]
    public void A_skipped_wake_up_records_everything_missed_in_order_and_once()
    {
        var s = Acknowledged();
        var recorded = s.At(Z("2025-06-01T00:00:00Z")).Evaluate();
        Assert.Equal(
            [(ClockEventKind.Warning, 50), (ClockEventKind.Warning, 75), (ClockEventKind.Breach, 0), (ClockEventKind.Escalation, 1), (ClockEventKind.Escalation, 2), (ClockEventKind.Escalation, 3)],
            Events(recorded));
        Assert.Empty(s.Evaluate());
        Assert.Equal(6, s.Request.NewEvents.Count(e => e.Event is "warning" or "breach" or "escalation"));
    }

    [Fact]
    public void Meeting_a_clock_stops_its_ladder()
    {
        var s = Acknowledged().At(Z("2025-03-20T00:00:00Z"));
        s.Evaluate();
        s.Do(Accept, Scenario.Handler);
        var later = s.At(Z("2025-12-31T00:00:00Z")).Evaluate();
        Assert.DoesNotContain(later, e => e.Kind == ClockKind.Decision);
        Assert.Equal(ClockState.Met, s.Clock(ClockKind.Decision).State);
        Assert.Null(s.Clock(ClockKind.Decision).BreachedAt);
    }

    [Fact]
    public void A_clock_met_after_its_breach_is_met_late_and_escalates_no_further()
    {
        var s = Acknowledged().At(Z("2025-04-05T00:00:00Z"));
        s.Evaluate();
        s.Do(Accept, Scenario.Handler);
        Assert.Contains("decision: met late", s.Request.NewEvents[^1].ClockChanges);
        Assert.Equal(Z("2025-04-02T16:00:00Z"), s.Clock(ClockKind.Decision).BreachedAt);
        Assert.DoesNotContain(s.At(Z("2025-12-31T00:00:00Z")).Evaluate(), e => e.Kind == ClockKind.Decision);
    }

    [Fact]
    public void An_extension_granted_after_the_breach_that_puts_the_due_time_ahead_withdraws_the_breach()
    {
        // EIO art. 12(5): the decision limit may be extended by up to 30 days. Breached 04-02 16:00Z (level 1); extended
        // on 04-03 by 10 days: the last day Sat 04-12 moves to Mon 04-14 (Reg. 1182/71 art. 3(4)), due 04-14 16:00Z,
        // ahead: the clock runs again at level 0 (issue 24), and breaches again only when that passes.
        var s = Acknowledged().At(Z("2025-04-03T00:00:00Z"));
        s.Evaluate();
        Assert.Equal(1, s.Clock(ClockKind.Decision).EscalationLevel);
        s.Do(Extend, Scenario.RequestedSupervisor, c => Scenario.Complete(Extend)(c) with { Clock = ClockKind.Decision, Days = 10 });
        var decision = s.Clock(ClockKind.Decision);
        Assert.Equal((ClockState.Running, 0, Z("2025-04-14T16:00:00Z")), (decision.State, decision.EscalationLevel, decision.DueAt!.Value));
        Assert.Contains(s.Request.NewEvents[^1].ClockChanges, c => c.StartsWith("decision: no longer breached (breached 2025-04-02T16:00:00Z, escalation level 1)", StringComparison.Ordinal));
        Assert.Empty(s.At(Z("2025-04-14T15:59:59Z")).Evaluate());
        Assert.Equal([(ClockEventKind.Breach, 0), (ClockEventKind.Escalation, 1)], Events(s.At(Z("2025-04-14T16:00:00Z")).Evaluate()));
    }

    [Fact]
    public void A_paused_clock_does_not_escalate_and_its_next_event_moves_with_the_pause()
    {
        var s = Acknowledged().At(Z("2025-03-10T02:00:00Z")).Do(RequestInformation, Scenario.Handler);
        var during = s.At(Z("2025-06-01T00:00:00Z")).Evaluate();
        Assert.DoesNotContain(during, e => e.Kind == ClockKind.Decision);
        Assert.Contains(during, e => e.Kind == ClockKind.Information && e.Event == ClockEventKind.Breach);
        Assert.Equal(ClockState.Paused, s.Clock(ClockKind.Decision).State);
    }

    [Fact]
    public void The_next_event_is_the_earliest_unrecorded_one_of_any_clock()
    {
        var s = new Scenario();
        // Acknowledgement: 03-03 02:00Z to 03-10 16:00Z (182 h): its 50% warning at 03-06 21:00Z comes first.
        Assert.Equal(Z("2025-03-06T21:00:00Z"), s.Request.NextEventAt(ShippedData.Set));
        s.Do(Withdraw, Scenario.Filer);
        Assert.Null(s.Request.NextEventAt(ShippedData.Set));
    }

    // Issue 24: a requested date already past when the execution clock starts (requested by Mon 2025-03-10, accepted
    // Wed 03-12 10:00 Beijing = 02:00Z) used to start it breached with warnings at 75% before 50%, and levels 1, 2
    // and 3 in the same second. Now: no warnings (no share of a period it never had), the breach (due 03-10 16:00Z)
    // and level 1 at its start, level 2 seven days after its start, and no level 3: consultation with the other
    // state (for the EIO, on the timing of execution, art. 12(6)) is not owed for a date nobody could have met.
    [Theory]
    [InlineData(LegalBases.Eio)]
    [InlineData(TestReferenceData.TreatyBasis)]
    public void A_clock_due_before_it_starts_is_breached_once_at_its_start_warns_of_nothing_and_never_reaches_consultation(string basis)
    {
        var s = new Scenario(basis, adjust: f => f with { RequestedBy = new DateOnly(2025, 3, 10) }).At(Z("2025-03-12T02:00:00Z"));
        s.Do(Accept, Scenario.Handler);
        var execution = s.Clock(ClockKind.Execution);
        Assert.Equal(Z("2025-03-10T16:00:00Z"), execution.DueAt);
        Assert.Equal(
            ["execution: breach - the period has ended (due 2025-03-10T16:00:00Z)", $"execution: escalation - level 1: {Level1(basis, ClockKind.Execution)} (due 2025-03-12T02:00:00Z)"],
            s.Request.NewEvents.Where(e => e.Event is "warning" or "breach" or "escalation" && e.ClockChanges[0].StartsWith("execution", StringComparison.Ordinal)).Select(e => e.ClockChanges[0]));
        Assert.Equal((ClockState.Breached, 1), (execution.State, execution.EscalationLevel));
        Assert.Empty(execution.WarningsRecorded);

        Assert.Empty(s.At(Z("2025-03-19T01:59:59Z")).Evaluate());
        Assert.Equal([(ClockEventKind.Escalation, 2)], Events(s.At(Z("2025-03-19T02:00:00Z")).Evaluate()));
        Assert.Empty(s.At(Z("2026-03-01T00:00:00Z")).Evaluate());
        Assert.Equal(2, s.Clock(ClockKind.Execution).EscalationLevel);
        Assert.Null(s.Request.NextEventAt(ShippedData.Set));
    }

    [Fact]
    public void Each_clock_escalates_in_its_own_instruments_words_not_the_EIOs_everywhere()
    {
        // EIO art. 12(5) (decision) and 12(6) (execution): the executing authority informs the issuing authority
        // without delay, with reasons and an estimate: asked at the breach (level 1), not thirty days later.
        foreach (var kind in new[] { ClockKind.Decision, ClockKind.Execution })
        {
            Assert.Equal("supervisor of the responsible side; duty: inform the issuing authority of the reasons and a new estimate without delay (EIO art. 12(5)-(6))", Level1(LegalBases.Eio, kind));
        }

        Assert.Contains("(EIO art. 12(6))", Step(LegalBases.Eio, ClockKind.Execution, 3).Duty, StringComparison.Ordinal);

        // Treaties (UNTOC art. 18(24): answer reasonable requests for information on progress; 18(26): consult before
        // refusing or postponing): their requested side's clocks say so, and nothing of theirs cites the EIO.
        foreach (var kind in new[] { ClockKind.Acknowledgement, ClockKind.Decision, ClockKind.Execution })
        {
            Assert.Contains("UNTOC art. 18(24)", Step(TestReferenceData.TreatyBasis, kind, 1).Duty, StringComparison.Ordinal);
            Assert.Contains("UNTOC art. 18(26)", Step(TestReferenceData.TreatyBasis, kind, 3).Duty, StringComparison.Ordinal);
        }

        var treatyTexts = ShippedData.Set.Policies.For(TestReferenceData.TreatyBasis).SelectMany(r => ShippedData.Set.Policies.LadderFor(TestReferenceData.TreatyBasis, r.Kind).Steps).Select(EscalationText.Describe);
        Assert.DoesNotContain(treatyTexts, t => t.Contains("EIO", StringComparison.Ordinal));

        // Where the instrument sets nothing (the requesting side's information clock; CETS 224), the default ladder,
        // which cites no instrument at all.
        Assert.Same(ShippedData.Set.Policies.Ladder, ShippedData.Set.Policies.LadderFor(TestReferenceData.TreatyBasis, ClockKind.Information));
        Assert.Same(ShippedData.Set.Policies.Ladder, ShippedData.Set.Policies.LadderFor(LegalBases.Cets224Traffic, ClockKind.Service));
        Assert.All(ShippedData.Set.Policies.Ladder.Steps, step => Assert.Null(step.Duty));

        // And a treaty request's history carries its treaty's words at level 3.
        var treaty = new Scenario(TestReferenceData.TreatyBasis).Do(Acknowledge, Scenario.Handler).At(Z("2025-06-01T00:00:00Z"));
        treaty.Evaluate();
        Assert.Contains(treaty.Request.NewEvents, e => e.ClockChanges.Any(c => c.StartsWith("decision: escalation - level 3: consultation with the other state; duty: inform the requesting state of progress (UNTOC art. 18(24))", StringComparison.Ordinal)));
    }

    private static Escalations.EscalationStep Step(string basis, ClockKind kind, int level) =>
        ShippedData.Set.Policies.LadderFor(basis, kind).Steps.Single(s => s.Level == level);

    private static string Level1(string basis, ClockKind kind) => EscalationText.Describe(Step(basis, kind, 1))["level 1: ".Length..];

    private static (ClockEventKind, int)[] Events(IEnumerable<ClockEvent> events) => [.. events.Select(e => (e.Event, e.Value))];
}
