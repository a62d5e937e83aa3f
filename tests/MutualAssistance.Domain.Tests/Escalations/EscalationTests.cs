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
        Assert.Contains("inform the other state", s.Request.NewEvents[^1].ClockChanges[0], StringComparison.Ordinal);
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

    private static (ClockEventKind, int)[] Events(IEnumerable<ClockEvent> events) => [.. events.Select(e => (e.Event, e.Value))];
}
