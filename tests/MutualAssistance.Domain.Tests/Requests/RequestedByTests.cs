using System.Globalization;
using MutualAssistance.Contracts.Requests;
using MutualAssistance.Domain.Clocks;
using MutualAssistance.Domain.Requests;

namespace MutualAssistance.Domain.Tests;

/// <summary>
/// A requested-by date must lie after the day of filing, in the requested authority's zone (issue 24). Source: no
/// treaty article; a rule of this system, since a date already past (or today) cannot be met and the clocks that end
/// on it (EIO art. 12(2), treaty targets) would start breached.
/// </summary>
public sealed class RequestedByTests
{
    private static DateTimeOffset Z(string instant) => DateTimeOffset.Parse(instant, CultureInfo.InvariantCulture);

    private static FileRequest Filing(string requestedBy, string requested = Scenario.Requested) => new()
    {
        RequestingAuthority = Scenario.Requesting,
        RequestedAuthority = requested,
        LegalBasis = LegalBases.Eio,
        AssistanceTypes = [AssistanceType.TakingEvidence],
        Subject = "Evidence from a witness",
        SummaryOfFacts = "Facts.",
        RequestedBy = DateOnly.ParseExact(requestedBy, "yyyy-MM-dd", CultureInfo.InvariantCulture),
    };

    // Filed Mon 2025-03-03 02:00 UTC = 10:00 in Beijing (CN-MOJ, the requested authority, Asia/Shanghai): the filing
    // day is 03-03. The day before and the day itself are refused; the next day is the first that can be met.
    [Theory]
    [InlineData("2025-03-02", false)]
    [InlineData("2025-03-03", false)]
    [InlineData("2025-03-04", true)]
    public void A_requested_by_date_must_lie_after_the_filing_day(string requestedBy, bool filed)
    {
        var decision = AssistanceRequest.TryFile(Guid.NewGuid(), Filing(requestedBy), Scenario.Filer, Z("2025-03-03T02:00:00Z"), ShippedData.Set);

        if (filed)
        {
            Assert.Equal(FilingOutcome.Created, decision.Outcome);
            Assert.Equal(new DateOnly(2025, 3, 4), decision.Request!.Filed.RequestedBy);
        }
        else
        {
            Assert.Equal(FilingOutcome.Invalid, decision.Outcome);
            Assert.Null(decision.Request);
            Assert.Equal(["requestedBy"], decision.Errors.Keys);
            Assert.Equal(
                "Must lie after the day of filing (2025-03-03, in the requested authority's time zone): a date already past, or today, cannot be met.",
                decision.Errors["requestedBy"].ToString());
        }
    }

    [Fact]
    public void The_filing_day_is_the_requested_authoritys_not_utc_nor_the_requesting_authoritys()
    {
        // Filed 2025-03-03 17:00 UTC: still Mon 03-03 in UTC and in Almaty (KZ-GP, 22:00), but already Tue 03-04
        // 01:00 in Beijing, where the execution clock would end 03-04 at 24:00 (16:00 UTC), 15 hours on. 03-04 is
        // the filing day there and refused; 03-05 is filed. (Compared in UTC, 03-04 would have passed.)
        var at = Z("2025-03-03T17:00:00Z");
        var today = AssistanceRequest.TryFile(Guid.NewGuid(), Filing("2025-03-04"), Scenario.Filer, at, ShippedData.Set);
        Assert.Equal(FilingOutcome.Invalid, today.Outcome);
        Assert.Contains("(2025-03-04,", today.Errors["requestedBy"].ToString(), StringComparison.Ordinal);

        var tomorrow = AssistanceRequest.TryFile(Guid.NewGuid(), Filing("2025-03-05"), Scenario.Filer, at, ShippedData.Set);
        Assert.Equal(FilingOutcome.Created, tomorrow.Outcome);
    }

    [Fact]
    public void The_zone_is_the_one_of_the_clocks_the_date_governs_every_one_on_the_requested_side()
    {
        // The rule reads the date in the requested authority's zone because that is where the clocks end that use it:
        // should a policy give requestedBy effect on a requesting-side clock, the choice must be made again.
        var governed = ShippedData.Set.Policies.Rules.Values.SelectMany(r => r).Where(r => r.RequestedBy != RequestedByRule.Ignored).ToList();
        Assert.NotEmpty(governed);
        Assert.All(governed, r => Assert.Equal(Side.Requested, r.Side));
    }

    [Fact]
    public void A_date_the_next_day_starts_a_clock_that_is_not_breached_on_acceptance()
    {
        // The case the other way round: requested by Tue 03-04, accepted Mon 03-03 10:00 Beijing; the
        // execution clock ends at the close of 03-04 in Beijing (16:00 UTC), and nothing is due at acceptance.
        var s = new Scenario(adjust: f => f with { RequestedBy = new DateOnly(2025, 3, 4) }).Do(RequestAction.Accept, Scenario.Handler);
        var execution = s.Clock(ClockKind.Execution);
        Assert.Equal(Z("2025-03-04T16:00:00Z"), execution.DueAt);
        Assert.Null(execution.BreachedAt);
        Assert.Equal(0, execution.EscalationLevel);
    }

    // Reg. (EEC, Euratom) No 1182/71 art. 5(1) applies art. 3 to a specified time or date with the exception of its
    // paragraphs (4) and (5): a requested date is not a period, so it does not move to the next working day. (The
    // system's reading, docs/domain.md; EIO art. 12(2), the issuing authority's "specific date", is the date it names.)
    // Accepted Mon 2025-03-03 10:00 Beijing; requested by Sat 03-22 (weekend) or Thu 05-01 (Labour Day): the execution
    // clock ends at the end of that very day in Beijing (16:00 UTC), not on Mon 03-24 or Tue 05-06.
    [Theory]
    [InlineData("2025-03-22", "2025-03-22T16:00:00Z")]
    [InlineData("2025-05-01", "2025-05-01T16:00:00Z")]
    public void A_requested_date_on_a_day_off_is_not_moved_to_the_next_working_day_Reg_1182_71_art_5_1(string requestedBy, string due)
    {
        var date = DateOnly.ParseExact(requestedBy, "yyyy-MM-dd", CultureInfo.InvariantCulture);
        var s = new Scenario(adjust: f => f with { RequestedBy = date }).Do(RequestAction.Accept, Scenario.Handler);
        Assert.Equal(date, s.Clock(ClockKind.Execution).FixedLastDay);
        Assert.Equal(Z(due), s.Clock(ClockKind.Execution).DueAt);
    }

    [Fact]
    public void A_requested_date_extended_by_days_is_a_periods_end_again_and_moves_by_art_3_4()
    {
        // Requested by Thu 2025-05-01 (Labour Day), extended by 2 days: the end falls on Sat 05-03, inside the Labour
        // Day days off (05-01..05-05); Reg. 1182/71 art. 3(4) moves it to the end of Tue 05-06 = 05-06 16:00Z.
        var s = new Scenario(adjust: f => f with { RequestedBy = new DateOnly(2025, 5, 1) }).Do(RequestAction.Accept, Scenario.Handler)
            .Do(RequestAction.Extend, Scenario.RequestedSupervisor, c => Scenario.Complete(RequestAction.Extend)(c) with { Clock = ClockKind.Execution, Days = 2 });
        Assert.Equal(Z("2025-05-06T16:00:00Z"), s.Clock(ClockKind.Execution).DueAt);
    }

    [Fact]
    public void An_unknown_requested_authority_is_reported_on_its_own_field_and_the_date_checked_once_it_is_known()
    {
        var decision = AssistanceRequest.TryFile(Guid.NewGuid(), Filing("2025-03-02", requested: "CN-NOWHERE"), Scenario.Filer, Z("2025-03-03T02:00:00Z"), ShippedData.Set);
        Assert.Equal(["requestedAuthority"], decision.Errors.Keys);
    }
}
