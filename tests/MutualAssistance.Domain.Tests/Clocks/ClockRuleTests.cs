using MutualAssistance.Testing;
using MutualAssistance.Contracts.Requests;
using static MutualAssistance.Contracts.Requests.RequestAction;

namespace MutualAssistance.Domain.Tests;

/// <summary>
/// The shipped policy table on the shipped calendars. The requested authority is CN-MOJ (Asia/Shanghai, +08:00,
/// no DST): the end of a Beijing day D is D 16:00Z. Unless said otherwise the request is received
/// Mon 2025-03-03 10:00 Beijing (02:00Z).
/// </summary>
public sealed class ClockRuleTests
{
    private static DateTimeOffset Z(string iso) => DateTimeOffset.Parse(iso, System.Globalization.CultureInfo.InvariantCulture);

    [Fact]
    public void Eio_acknowledgement_7_days_and_decision_30_days_start_on_receipt()
    {
        var s = new Scenario();
        // 7 days: last day Mon 03-10, a working day. 30 days: last day Wed 04-02, a working day.
        Assert.Equal(Z("2025-03-10T16:00:00Z"), s.Clock(ClockKind.Acknowledgement).DueAt);
        Assert.Equal(Z("2025-04-02T16:00:00Z"), s.Clock(ClockKind.Decision).DueAt);
        Assert.DoesNotContain(s.Request.Clocks, c => c.Kind == ClockKind.ProvisionalMeasures);
        Assert.All(s.Request.Clocks, c => Assert.Equal(Scenario.Requested, c.ResponsibleAuthority));
    }

    [Fact]
    public void Eio_urgent_decision_takes_the_shorter_target()
    {
        // Urgent: 10 days, last day Thu 03-13.
        var s = new Scenario(adjust: f => f with { Urgency = Urgency.Urgent });
        Assert.Equal(Z("2025-03-13T16:00:00Z"), s.Clock(ClockKind.Decision).DueAt);
    }

    [Fact]
    public void Eio_execution_90_days_from_the_decision_or_the_earlier_requested_date()
    {
        // Accepted Mon 03-03: 90 days end on Sun 06-01, inside China's 2025 Dragon Boat Festival days off
        // (Sat 05-31, Sun 06-01, Mon 06-02); the next working day is Tue 06-03.
        var normal = new Scenario().Do(Accept, Scenario.Handler);
        Assert.Equal(Z("2025-06-03T16:00:00Z"), normal.Clock(ClockKind.Execution).DueAt);

        // Requested by Thu 03-20, earlier than 90 days: the clock ends at the end of 03-20.
        var dated = new Scenario(adjust: f => f with { RequestedBy = new DateOnly(2025, 3, 20) }).Do(Accept, Scenario.Handler);
        Assert.Equal(Z("2025-03-20T16:00:00Z"), dated.Clock(ClockKind.Execution).DueAt);
    }

    [Fact]
    public void Eio_provisional_measures_24_hours_for_freezing()
    {
        // Directive 2014/41/EU art. 32(2), counted by Reg. 1182/71 art. 3(1), 3(2)(a): received at 10:00 Beijing,
        // the hour 10:00-11:00 does not count; 24 hours from 11:00 end Tue 03-04 11:00 Beijing = 03:00Z. (This
        // test expected 02:00Z, elapsed time from receipt, before issue 24.)
        var s = new Scenario(adjust: f => f with { AssistanceTypes = [AssistanceType.FreezingAssets] });
        Assert.Equal(Z("2025-03-04T03:00:00Z"), s.Clock(ClockKind.ProvisionalMeasures).DueAt);
    }

    [Fact]
    public void Eio_forwarding_restarts_the_decision_clock_and_the_acknowledgement_the_executing_authority_owes()
    {
        // Forwarded Mon 03-10 10:00 Beijing: 30 days from then end on Wed 04-09; the executing authority's week
        // (art. 16(1) with 7(6)) ends on Mon 03-17, a working day.
        var s = new Scenario().At(Z("2025-03-10T02:00:00Z")).Do(Forward, Scenario.Handler);
        Assert.Equal(Z("2025-04-09T16:00:00Z"), s.Clock(ClockKind.Decision).DueAt);
        Assert.Equal(ClockState.Running, s.Clock(ClockKind.Acknowledgement).State);
        Assert.Equal(Z("2025-03-17T16:00:00Z"), s.Clock(ClockKind.Acknowledgement).DueAt);
    }

    [Fact]
    public void Eio_forward_restarts_the_running_acknowledgement_and_the_acknowledgement_after_it_stops_it()
    {
        // Received Mon 03-03: acknowledgement due at the end of Mon 03-10. Forwarded Thu 03-06 10:00 Beijing: the
        // clock starts again, 7 days from 03-06 end on Thu 03-13 (a working day): due 03-13 16:00Z. The decision
        // restarts too: 30 days from 03-06 end on Sat 04-05, inside Qingming (04-04..04-06); next working day Mon 04-07.
        var s = new Scenario();
        Assert.Equal(Z("2025-03-10T16:00:00Z"), s.Clock(ClockKind.Acknowledgement).DueAt);
        s.At(Z("2025-03-06T02:00:00Z")).Do(Forward, Scenario.Handler);
        Assert.Single(s.Request.Clocks, c => c.Kind == ClockKind.Acknowledgement);
        Assert.Equal(Z("2025-03-13T16:00:00Z"), s.Clock(ClockKind.Acknowledgement).DueAt);
        Assert.Equal(Z("2025-04-07T16:00:00Z"), s.Clock(ClockKind.Decision).DueAt);

        // The executing authority acknowledges Tue 03-11: the clock is met, the decision clock runs on.
        s.At(Z("2025-03-11T02:00:00Z")).Do(Acknowledge, Scenario.Handler);
        Assert.Equal(ClockState.Met, s.Clock(ClockKind.Acknowledgement).State);
        Assert.Equal(RequestStatus.Acknowledged, s.Request.Status);
        Assert.Equal(ClockState.Running, s.Clock(ClockKind.Decision).State);
    }

    [Fact]
    public void Eio_forward_after_the_central_authoritys_acknowledgement_opens_the_executing_authoritys_own()
    {
        // Acknowledged Tue 03-04 (met); forwarded Thu 03-06: a second acknowledgement clock, due at the end of Thu 03-13.
        var s = new Scenario().At(Z("2025-03-04T02:00:00Z")).Do(Acknowledge, Scenario.Handler)
            .At(Z("2025-03-06T02:00:00Z")).Do(Forward, Scenario.Handler);
        var acknowledgements = s.Request.Clocks.Where(c => c.Kind == ClockKind.Acknowledgement).ToList();
        Assert.Equal(2, acknowledgements.Count);
        Assert.Equal(ClockState.Met, acknowledgements[0].State);
        Assert.Equal(ClockState.Running, acknowledgements[1].State);
        Assert.Equal(Z("2025-03-06T02:00:00Z"), acknowledgements[1].StartedAt);
        Assert.Equal(Z("2025-03-13T16:00:00Z"), acknowledgements[1].DueAt);
    }

    [Fact]
    public void Eio_decision_extends_by_at_most_30_days_in_all_across_extensions()
    {
        // Art. 12(5): "may be extended by a maximum of 30 days". Decision due 04-02 (30 days from 03-03).
        var s = new Scenario();
        var tooLong = s.Try(Extend, Scenario.RequestedSupervisor, c => c with { Clock = ClockKind.Decision, Days = 31, Reason = "complex" });
        Assert.Equal(ActionOutcome.Invalid, tooLong.Outcome);
        Assert.Contains("days", tooLong.Errors.Keys);

        // +20: last day 04-22 (Tue), a working day.
        s.Do(Extend, Scenario.RequestedSupervisor, c => c with { Clock = ClockKind.Decision, Days = 20, Reason = "complex" });
        Assert.Equal(Z("2025-04-22T16:00:00Z"), s.Clock(ClockKind.Decision).DueAt);

        // +15 more would make 35 in all: refused, naming days and what is left (10).
        var over = s.Try(Extend, Scenario.RequestedSupervisor, c => c with { Clock = ClockKind.Decision, Days = 15, Reason = "again" });
        Assert.Equal(ActionOutcome.Invalid, over.Outcome);
        Assert.Contains("10 left", over.Errors["days"].ToString(), StringComparison.Ordinal);

        // +10 makes 30 in all: last day Fri 05-02, in Labour Day (05-01..05-05); next working day Tue 05-06.
        s.Do(Extend, Scenario.RequestedSupervisor, c => c with { Clock = ClockKind.Decision, Days = 10, Reason = "again" });
        Assert.Equal(Z("2025-05-06T16:00:00Z"), s.Clock(ClockKind.Decision).DueAt);
        Assert.Equal(ActionOutcome.Invalid, s.Try(Extend, Scenario.RequestedSupervisor, c => c with { Clock = ClockKind.Decision, Days = 1, Reason = "more" }).Outcome);
    }

    [Fact]
    public void Eio_execution_extension_needs_a_new_estimate()
    {
        var s = new Scenario().Do(Accept, Scenario.Handler);
        var without = s.Try(Extend, Scenario.RequestedSupervisor, c => c with { Clock = ClockKind.Execution, Days = 20, Reason = "experts" });
        Assert.Equal(ActionOutcome.Invalid, without.Outcome);
        Assert.Contains("estimate", without.Errors.Keys);
    }

    [Fact]
    public void Postponement_pauses_execution_and_resuming_adds_the_days_it_lasted()
    {
        // Accepted 03-03; postponed 03-10 to 03-20 (10 days): 90 + 10 days from 03-03 end on Wed 06-11, a working day.
        var s = new Scenario().Do(Accept, Scenario.Handler)
            .At(Z("2025-03-10T02:00:00Z")).Do(Postpone, Scenario.Handler);
        Assert.Equal(ClockState.Paused, s.Clock(ClockKind.Execution).State);
        Assert.Null(s.Clock(ClockKind.Execution).DueAt);
        s.At(Z("2025-03-20T02:00:00Z")).Do(Resume, Scenario.Handler);
        Assert.Equal(Z("2025-06-11T16:00:00Z"), s.Clock(ClockKind.Execution).DueAt);
        var pause = Assert.Single(s.Clock(ClockKind.Execution).Pauses);
        Assert.Equal(Z("2025-03-10T02:00:00Z"), pause.From);
        Assert.Equal(Z("2025-03-20T02:00:00Z"), pause.Until);
        Assert.Equal("because", pause.Reason);
    }

    [Fact]
    public void Awaiting_information_pauses_the_requested_side_and_runs_the_requesting_sides_clock()
    {
        // Asked on Mon 03-10: the requesting side (KZ-GP, Asia/Almaty +05:00) has 30 days, last day Wed 04-09,
        // so the end of 04-09 in Almaty = 04-09 19:00Z.
        var s = new Scenario().Do(Acknowledge, Scenario.Handler).At(Z("2025-03-10T02:00:00Z")).Do(RequestInformation, Scenario.Handler);
        Assert.Equal(ClockState.Paused, s.Clock(ClockKind.Decision).State);
        var information = s.Clock(ClockKind.Information);
        Assert.Equal(Scenario.Requesting, information.ResponsibleAuthority);
        Assert.Equal(Side.Requesting, information.Side);
        Assert.Equal(Z("2025-04-09T19:00:00Z"), information.DueAt);

        // Answered on Mon 03-17 (7 days): the decision clock's 30 days grow by 7, from 04-02 to 04-09.
        s.At(Z("2025-03-17T02:00:00Z")).Do(ProvideInformation, Scenario.Filer);
        Assert.Equal(ClockState.Met, s.Clock(ClockKind.Information).State);
        Assert.Equal(Z("2025-04-09T16:00:00Z"), s.Clock(ClockKind.Decision).DueAt);
    }

    [Fact]
    public void Treaty_targets_default_to_10_30_and_180_days_or_the_requested_date()
    {
        // 10 days: Thu 03-13; 30 days: Wed 04-02; accepted 03-03, 180 days end on Sat 08-30 -> Mon 09-01.
        var s = new Scenario(TestReferenceData.TreatyBasis);
        Assert.Equal(Z("2025-03-13T16:00:00Z"), s.Clock(ClockKind.Acknowledgement).DueAt);
        Assert.Equal(Z("2025-04-02T16:00:00Z"), s.Clock(ClockKind.Decision).DueAt);
        s.Do(Accept, Scenario.Handler);
        Assert.Equal(Z("2025-09-01T16:00:00Z"), s.Clock(ClockKind.Execution).DueAt);

        // With a requested date, that date replaces the 180 days even when it is later: Wed 2025-12-31.
        var dated = new Scenario(TestReferenceData.TreatyBasis, adjust: f => f with { RequestedBy = new DateOnly(2025, 12, 31) }).Do(Accept, Scenario.Handler);
        Assert.Equal(Z("2025-12-31T16:00:00Z"), dated.Clock(ClockKind.Execution).DueAt);
    }

    [Fact]
    public void Cets224_the_requested_party_has_45_days_to_serve_the_order_and_no_production_clock_runs_before()
    {
        // Art. 8(6)(a): received Mon 03-03; 45 days end on Thu 04-17, a working day.
        var s = new Scenario(LegalBases.Cets224Subscriber);
        Assert.Equal(Z("2025-04-17T16:00:00Z"), s.Clock(ClockKind.Service).DueAt);
        Assert.DoesNotContain(s.Request.Clocks, c => c.Kind == ClockKind.Production);
    }

    [Fact]
    public void Cets224_production_runs_from_service_20_days_for_subscriber_information_and_45_for_traffic_data()
    {
        // Served Mon 03-10 10:00 Beijing, recorded Wed 03-12. Subscriber information: 20 days from 03-10 end on
        // Sun 03-30 -> Mon 03-31. Traffic data: 45 days from 03-10 end on Thu 04-24, a working day.
        var served = Z("2025-03-10T02:00:00Z");
        foreach (var (basis, due) in new[] { (LegalBases.Cets224Subscriber, Z("2025-03-31T16:00:00Z")), (LegalBases.Cets224Traffic, Z("2025-04-24T16:00:00Z")) })
        {
            var s = new Scenario(basis).At(Z("2025-03-12T02:00:00Z"))
                .Do(ServeOrder, Scenario.Handler, c => c with { ServedOn = "Example Telecom LLC", ServedAt = served });
            Assert.Equal(ClockState.Met, s.Clock(ClockKind.Service).State);
            Assert.Equal(served, s.Clock(ClockKind.Service).StoppedAt);
            Assert.Equal(served, s.Clock(ClockKind.Production).StartedAt);
            Assert.Equal(due, s.Clock(ClockKind.Production).DueAt);
            Assert.Equal(RequestStatus.Accepted, s.Request.Status);
            Assert.Equal("Example Telecom LLC", s.Request.ServedOn);
            Assert.Equal(served, s.Request.ServedAt);
        }
    }

    [Fact]
    public void Cets224_art_8_6_a_the_45_days_to_serve_start_afresh_when_the_requested_information_arrives()
    {
        // CETS 224 art. 8(6)(a): the 45 days run "upon receipt of all the information specified in paragraphs 3 and
        // 4". Received Mon 03-03 (due Thu 04-17); information asked Mon 03-10, provided Thu 03-20 10:00 Beijing. A
        // full new period from 03-20: 45 days end on Sun 05-04, inside the Labour Day days off (05-01..05-05), so
        // Tue 05-06: due 05-06 16:00Z. (A pause alone would give 04-17 + 10 days = Sun 04-27, a worked Sunday in 2025.)
        var s = new Scenario(LegalBases.Cets224Subscriber).At(Z("2025-03-10T02:00:00Z")).Do(RequestInformation, Scenario.Handler);
        Assert.Equal(ClockState.Paused, s.Clock(ClockKind.Service).State);
        s.At(Z("2025-03-20T02:00:00Z")).Do(ProvideInformation, Scenario.Filer);
        var service = s.Clock(ClockKind.Service);
        Assert.Equal(ClockState.Running, service.State);
        Assert.Equal(Z("2025-03-20T02:00:00Z"), service.StartedAt);
        Assert.Empty(service.Pauses);
        Assert.Equal(Z("2025-05-06T16:00:00Z"), service.DueAt);
        Assert.Contains("service: restarted", s.Request.NewEvents[^1].ClockChanges);

        // The production clock is not started by information and runs from service (art. 8(6)(a)(i)/(ii)) as before.
        Assert.DoesNotContain(s.Request.Clocks, c => c.Kind == ClockKind.Production);
    }

    [Fact]
    public void Cets224_serving_needs_the_provider_and_a_time_neither_future_nor_before_receipt_and_exists_only_under_cets224()
    {
        var s = new Scenario(LegalBases.Cets224Traffic).At(Z("2025-03-12T02:00:00Z"));
        Assert.Contains("servedOn", s.Try(ServeOrder, Scenario.Handler).Errors.Keys);
        Assert.Contains("servedAt", s.Try(ServeOrder, Scenario.Handler, c => c with { ServedOn = "P", ServedAt = Z("2025-03-13T02:00:00Z") }).Errors.Keys);
        Assert.Contains("servedAt", s.Try(ServeOrder, Scenario.Handler, c => c with { ServedOn = "P", ServedAt = Z("2025-03-02T02:00:00Z") }).Errors.Keys);
        Assert.Equal(ActionOutcome.Forbidden, s.Try(ServeOrder, Scenario.Filer, c => c with { ServedOn = "P" }).Outcome);
        Assert.Equal(ActionOutcome.NotAllowedInStatus, new Scenario(LegalBases.Eio).Try(ServeOrder, Scenario.Handler, c => c with { ServedOn = "P" }).Outcome);
        Assert.DoesNotContain(ServeOrder, new Scenario(LegalBases.Eio).Request.AllowedActions(Scenario.Handler, ShippedData.Set));
        Assert.Contains(ServeOrder, s.Request.AllowedActions(Scenario.Handler, ShippedData.Set));
    }

    [Fact]
    public void A_period_ending_in_Chinas_National_Day_holiday_ends_on_the_first_working_day_after_it()
    {
        // Treaty acknowledgement, 10 days from Tue 2025-09-23: the last day Fri 10-03 falls in the National Day and
        // Mid-Autumn holiday (10-01..10-08); Thu 10-09 is the next working day. Due at its end: 10-09 16:00Z.
        var s = new Scenario(TestReferenceData.TreatyBasis, now: Z("2025-09-23T02:00:00Z"));
        Assert.Equal(Z("2025-10-09T16:00:00Z"), s.Clock(ClockKind.Acknowledgement).DueAt);
    }

    [Fact]
    public void A_period_ending_on_a_transferred_working_Sunday_ends_that_day()
    {
        // Treaty acknowledgement, 10 days from Thu 2025-09-18: the last day is Sun 09-28, worked in China in 2025.
        var s = new Scenario(TestReferenceData.TreatyBasis, now: Z("2025-09-18T02:00:00Z"));
        Assert.Equal(Z("2025-09-28T16:00:00Z"), s.Clock(ClockKind.Acknowledgement).DueAt);
    }

    [Fact]
    public void Working_days_across_National_Day_count_the_worked_Saturday()
    {
        // From Tue 2025-09-30: 10-01..10-08 off, Thu 10-09 (1), Fri 10-10 (2), Sat 10-11 worked (3).
        var china = ShippedData.Set.Calendars.For("CN");
        Assert.Equal(new NodaTime.LocalDate(2025, 10, 11), china.AddWorkingDays(new NodaTime.LocalDate(2025, 9, 30), 3));
        Assert.Equal(new NodaTime.LocalDate(2025, 10, 10), china.AddWorkingDays(new NodaTime.LocalDate(2025, 9, 30), 2));
    }

    [Fact]
    public void A_calendar_change_recalculates_the_open_clocks_it_affects()
    {
        var s = new Scenario();
        var before = s.Clock(ClockKind.Decision).DueAt;
        // Declare the last day, Wed 2025-04-02, a holiday in China: the decision clock now ends on Thu 04-03.
        var changed = ShippedDataWith.ExtraHoliday("CN", new NodaTime.LocalDate(2025, 4, 2));
        var recalculated = s.Request.Recalculate(s.Now, changed);
        Assert.Equal(Z("2025-04-02T16:00:00Z"), before);
        Assert.Equal(Z("2025-04-03T16:00:00Z"), recalculated.Clocks.Last(c => c.Kind == ClockKind.Decision).DueAt);
        Assert.Equal("recalculation", recalculated.NewEvents[^1].Event);
        Assert.Equal(changed.Version, recalculated.ReferenceVersion);
    }
}
