using MutualAssistance.Testing;
using System.Globalization;
using MutualAssistance.Contracts.Requests;
using MutualAssistance.Domain.Requests;
using static MutualAssistance.Contracts.Requests.RequestAction;

namespace MutualAssistance.Domain.Tests;

/// <summary>
/// Directive 2014/41/EU art. 12(5) (decision) and 12(6) (execution): where the executing authority cannot meet the time
/// limit it informs the issuing authority "without delay", by any means, giving the reasons for the delay and the
/// estimated time necessary. The action <c>inform-delay</c> records that; the ladder asks for it at the breach.
/// </summary>
public sealed class InformDelayTests
{
    private static DateTimeOffset Z(string iso) => DateTimeOffset.Parse(iso, CultureInfo.InvariantCulture);

    [Fact]
    public void Eio_art_12_6_a_breached_execution_clock_asks_for_the_delay_at_once_and_the_reasons_and_estimate_are_recorded_and_shown()
    {
        // Accepted Mon 2025-03-03: the 90 days end Tue 06-03 16:00Z (Dragon Boat days off). At the breach, level 1 asks
        // the executing side to inform the issuing authority of the reasons and a new estimate without delay.
        var s = new Scenario().Do(Accept, Scenario.Handler).At(Z("2025-06-03T16:00:00Z"));
        s.Evaluate();
        Assert.Contains(s.Request.NewEvents[^1].ClockChanges, c => c.StartsWith("execution: escalation - level 1: supervisor of the responsible side; duty: inform the issuing authority of the reasons and a new estimate without delay (EIO art. 12(5)-(6))", StringComparison.Ordinal));
        Assert.Contains(InformDelay, s.Request.AllowedActions(Scenario.Handler, ShippedData.Set));
        Assert.DoesNotContain(InformDelay, s.Request.AllowedActions(Scenario.Filer, ShippedData.Set));

        s.At(Z("2025-06-04T01:00:00Z")).Do(InformDelay, Scenario.Handler,
            c => c with { Clock = ClockKind.Execution, Reason = "The witness is abroad until July.", Estimate = new DateOnly(2025, 7, 15) });

        Assert.Equal(RequestStatus.Accepted, s.Request.Status);
        var entry = s.Request.NewEvents[^1];
        Assert.Equal(("inform-delay", "The witness is abroad until July."), (entry.Event, entry.Reason));
        Assert.Equal(["execution: delay reported, new estimate 2025-07-15"], entry.ClockChanges);
        var clock = s.Request.ToView(Scenario.Filer, ShippedData.Set).Clocks.Single(c => c.Kind == ClockKind.Execution);
        var notice = Assert.Single(clock.DelayNotices);
        Assert.Equal((Z("2025-06-04T01:00:00Z"), "The witness is abroad until July.", new DateOnly(2025, 7, 15)), (notice.At, notice.Reason, notice.Estimate));
        Assert.StartsWith("handler-1 (CN-MOJ", notice.By, StringComparison.Ordinal);

        // Informing changes no deadline: the clock stays breached and its ladder goes on (level 2 a week after the breach).
        Assert.Equal((ClockState.Breached, Z("2025-06-03T16:00:00Z")), (clock.State, clock.DueAt!.Value));
        Assert.Contains(s.At(Z("2025-06-10T16:00:00Z")).Evaluate(), e => e.Kind == ClockKind.Execution && e.Value == 2);
    }

    [Fact]
    public void Eio_art_12_5_a_delay_may_be_reported_on_the_decision_clock_before_it_breaches()
    {
        var s = new Scenario().At(Z("2025-03-20T02:00:00Z"))
            .Do(InformDelay, Scenario.Handler, c => c with { Clock = ClockKind.Decision, Reason = "Translation pending.", Estimate = new DateOnly(2025, 4, 20) });
        Assert.Equal(new DateOnly(2025, 4, 20), Assert.Single(s.Clock(ClockKind.Decision).DelayNotices).Estimate);
        Assert.Equal(ClockState.Running, s.Clock(ClockKind.Decision).State);
    }

    [Fact]
    public void Inform_delay_needs_an_open_decision_or_execution_clock_reasons_and_an_estimate_not_in_the_past_and_exists_only_under_the_eio()
    {
        var s = new Scenario().At(Z("2025-03-20T02:00:00Z"));
        var before = s.Request;
        ActionDecision Try(Func<ActionCommand, ActionCommand> details, Actor? actor = null) =>
            s.Try(InformDelay, actor ?? Scenario.Handler, c => details(c with { Clock = ClockKind.Decision, Reason = "r", Estimate = new DateOnly(2025, 4, 20) }));

        Assert.Equal(["clock"], Try(c => c with { Clock = ClockKind.Acknowledgement }).Errors.Keys);
        Assert.Equal(["clock"], Try(c => c with { Clock = ClockKind.Execution }).Errors.Keys); // not started before acceptance
        Assert.Equal(["reason"], Try(c => c with { Reason = " " }).Errors.Keys);
        Assert.Equal(["estimate"], Try(c => c with { Estimate = null }).Errors.Keys);
        // Today in Beijing is 03-20: 03-19 is past, 03-20 is allowed.
        Assert.Equal("Must not lie before today (2025-03-20, in the responsible authority's time zone).", Try(c => c with { Estimate = new DateOnly(2025, 3, 19) }).Errors["estimate"].ToString());
        Assert.Equal(ActionOutcome.Applied, Try(c => c with { Estimate = new DateOnly(2025, 3, 20) }).Outcome);
        Assert.Equal(ActionOutcome.Forbidden, Try(c => c, Scenario.Filer).Outcome);
        Assert.Same(before, Try(c => c with { Reason = null }).Request);

        var treaty = new Scenario(TestReferenceData.TreatyBasis).Try(InformDelay, Scenario.Handler, c => c with { Clock = ClockKind.Decision, Reason = "r", Estimate = new DateOnly(2025, 4, 20) });
        Assert.Equal(ActionOutcome.NotAllowedInStatus, treaty.Outcome);
        Assert.Contains("exists only under eio", treaty.Detail, StringComparison.Ordinal);
        Assert.DoesNotContain(InformDelay, new Scenario(TestReferenceData.TreatyBasis).Request.AllowedActions(Scenario.Handler, ShippedData.Set));
    }
}
