using FsCheck;
using FsCheck.Fluent;
using MutualAssistance.Contracts.Requests;
using MutualAssistance.Domain.Retention;
using NodaTime;
using static MutualAssistance.Contracts.Requests.RequestAction;

namespace MutualAssistance.Domain.Tests;

/// <summary>When an ended request's personal data must go: per state and legal basis, the longest among the parties served.</summary>
public sealed class RetentionPolicyTests
{
    private static readonly RetentionPolicy Policy = new(Period.FromYears(5),
    [
        new RetentionRule("CN", null, Period.FromYears(10)),
        new RetentionRule(null, LegalBases.Cets224Subscriber, Period.FromMonths(18)),
        new RetentionRule("CN", LegalBases.Cets224Subscriber, Period.FromYears(3)),
    ]);

    private static string? StateOf(string authority) => ShippedData.Set.Authorities.Find(authority)?.State;

    private static DateTimeOffset Z(string instant) => DateTimeOffset.Parse(instant, System.Globalization.CultureInfo.InvariantCulture);

    [Theory]
    [InlineData("KZ", LegalBases.Eio, "P5Y")]
    [InlineData("CN", LegalBases.Eio, "P10Y")]
    [InlineData("KZ", LegalBases.Cets224Subscriber, "P18M")]
    [InlineData("CN", LegalBases.Cets224Subscriber, "P3Y")]
    public void The_most_specific_rule_wins(string state, string basis, string period) =>
        Assert.Equal(NodaTime.Text.PeriodPattern.NormalizingIso.Parse(period).Value, Policy.PeriodFor(state, basis));

    [Fact]
    public void An_open_request_is_kept_and_an_ended_one_goes_after_the_longest_period_of_the_parties_served_here()
    {
        var s = new Scenario(LegalBases.Eio);
        Assert.Null(Policy.ErasureDue(s.Request, StateOf, _ => true));

        s.At(Z("2025-04-01T10:00:00Z")).Do(Withdraw, Scenario.Filer);
        // Both parties here: KZ keeps it five years, CN ten: the longer.
        Assert.Equal(Z("2035-04-01T10:00:00Z"), Policy.ErasureDue(s.Request, StateOf, _ => true));
        // A node serving only KZ follows KZ's law, one serving only CN China's; one serving neither has nothing to erase.
        Assert.Equal(Z("2030-04-01T10:00:00Z"), Policy.ErasureDue(s.Request, StateOf, a => a == Scenario.Requesting));
        Assert.Equal(Z("2035-04-01T10:00:00Z"), Policy.ErasureDue(s.Request, StateOf, a => a == Scenario.Requested));
        Assert.Null(Policy.ErasureDue(s.Request, StateOf, _ => false));

        // Once erased there is nothing left to erase.
        Assert.Null(Policy.ErasureDue(s.Request.Erased(Z("2035-04-02T00:00:00Z")), StateOf, _ => true));
    }

    [Fact]
    public void A_period_in_years_from_29_february_ends_on_28_february()
    {
        var s = new Scenario(LegalBases.Eio, now: Z("2024-02-20T00:00:00Z"));
        s.At(Z("2024-02-29T12:00:00Z")).Do(Withdraw, Scenario.Filer);
        Assert.Equal(Z("2029-02-28T12:00:00Z"), Policy.ErasureDue(s.Request, StateOf, a => a == Scenario.Requesting));
    }

    [Fact]
    public void The_sweeps_limit_never_selects_a_request_before_it_is_due()
    {
        // LatestEndErasableAt (what the sweep's query selects by) is never looser than ErasureDue (what the grain
        // decides), month ends and 29 February included.
        var cases = from end in Gen.Choose(0, 3 * 365 * 24)
                    from wait in Gen.Choose(0, 12 * 365)
                    from months in Gen.Choose(1, 120)
                    select (Ended: Z("2020-01-31T00:00:00Z").AddHours(end), Wait: wait, Period: Period.FromMonths(months));
        Check.One(Config.QuickThrowOnFailure.WithMaxTest(500), Prop.ForAll(cases.ToArbitrary(), c =>
        {
            var policy = new RetentionPolicy(c.Period, []);
            var now = c.Ended.AddDays(c.Wait);
            var selected = c.Ended <= policy.LatestEndErasableAt("KZ", LegalBases.Eio, now);
            return !selected || RetentionPolicy.After(c.Ended, c.Period) <= now;
        }));
    }
}
