using MutualAssistance.Domain.ReadModel;
using MutualAssistance.Testing;
using MutualAssistance.Contracts.Requests;
using static MutualAssistance.Contracts.Requests.RequestAction;

namespace MutualAssistance.Domain.Tests;

/// <summary>
/// A forward goes to another competent authority of the requested state, named by its code in the directory:
/// Directive 2014/41/EU art. 7(6) (the receiving authority without competence "shall, ex officio, transmit the
/// EIO to the executing authority"); UNTOC art. 18(13) (the central authority transmits requests "to the
/// competent authorities for execution"). Issue 24: a handler of CN-MOJ could forward to KZ-GP, the requesting
/// authority of another state. The scenario is KZ-GP → CN-MOJ; the shipped directory's other CN authorities,
/// in code order, are CN-MPS, CN-MSS, CN-NSC, CN-SPC and CN-SPP.
/// </summary>
public sealed class ForwardingTests
{
    private const string Expected = "Must be an authority of CN from the directory, other than CN-MOJ: one of CN-MPS, CN-MSS, CN-NSC, CN-SPC, CN-SPP.";

    [Theory]
    [InlineData("KZ-GP")]                              // the requesting authority, of another state (the case)
    [InlineData("RU-GP")]                              // a third state's authority
    [InlineData("CN-XYZ")]                             // shaped like a code, not in the directory
    [InlineData("Beijing Municipal Procuratorate")]    // free text, as the fixtures used to send
    [InlineData("cn-spp")]                             // codes are exact, as everywhere else
    [InlineData("CN-MOJ")]                             // the requested authority itself: no forward at all
    public void A_forward_anywhere_but_another_directory_authority_of_the_requested_state_is_invalid_and_changes_nothing(string target)
    {
        foreach (var basis in new[] { LegalBases.Eio, TestReferenceData.TreatyBasis })
        {
            var scenario = new Scenario(basis);
            var before = scenario.Request;
            var decision = scenario.Try(Forward, Scenario.Handler, c => c with { ForwardedTo = target });
            Assert.Equal(ActionOutcome.Invalid, decision.Outcome);
            Assert.Equal(Expected, decision.Errors[ActionFields.ForwardedTo].ToString());
            Assert.Same(before, decision.Request);
        }
    }

    [Theory]
    [InlineData("CN-SPP")]
    [InlineData("CN-MPS")]
    [InlineData("CN-SPC")]
    public void A_forward_to_another_authority_of_the_requested_state_is_applied_and_recorded(string target)
    {
        var scenario = new Scenario().Do(Forward, Scenario.Handler, c => c with { ForwardedTo = target });
        Assert.Equal(RequestStatus.Forwarded, scenario.Request.Status);
        Assert.Equal(target, scenario.Request.ForwardedTo);
    }

    [Fact]
    public void Where_the_requested_authority_is_its_states_only_one_in_the_directory_the_problem_says_there_is_nowhere_to_forward()
    {
        // PK-MOI is Pakistan's only authority in the shipped directory; UNCAC binds Kazakhstan and Pakistan.
        var scenario = new Scenario("uncac", adjust: f => f with { RequestedAuthority = "PK-MOI" });
        var handler = Scenario.Handler with { Authority = "PK-MOI" };
        var decision = scenario.Try(Forward, handler, c => c with { ForwardedTo = "KZ-GP" });
        Assert.Equal(ActionOutcome.Invalid, decision.Outcome);
        Assert.Equal("PK-MOI is the only authority of PK in the directory: there is none to forward to.", decision.Errors[ActionFields.ForwardedTo].ToString());
    }

    [Fact]
    public void After_a_forward_the_competent_authoritys_period_runs_on_its_own_calendar()
    {
        // Directive 2014/41/EU art. 7(6) and 16(1): the competent authority the EIO is forwarded to owes its own
        // acknowledgement, within a week of its receipt, on its calendar. Forwarded on Thu 2025-11-06 10:00 Tehran (06:30Z)
        // by IR-JUD to IR-JUD-SEMNAN: 7 days end on Thu 11-13, a working day for IR-JUD (Friday weekend), but Semnan's
        // judiciary rested on Thursdays and Fridays from 2025-10-16 to 2026-03-20 (authorities.json): the period ends at
        // the end of Sat 11-15 (Reg. 1182/71 art. 3(4)), 20:30Z.
        var iran = Scenario.Handler with { Authority = "IR-JUD" };
        var filed = Z("2025-11-03T06:30:00Z");
        var scenario = new Scenario(LegalBases.Eio, filed, f => f with { RequestedAuthority = "IR-JUD" }).At(Z("2025-11-06T06:30:00Z"))
            .Do(Forward, iran, c => c with { ForwardedTo = "IR-JUD-SEMNAN" });
        var acknowledgement = scenario.Request.Clocks.Single(c => c.Kind == ClockKind.Acknowledgement && c.IsOpen);
        Assert.Equal("IR-JUD-SEMNAN", acknowledgement.CalendarAuthority);
        Assert.Equal("IR-JUD", acknowledgement.ResponsibleAuthority);
        Assert.Equal(Z("2025-11-15T20:30:00Z"), acknowledgement.DueAt);
        Assert.Contains("acknowledgement: restarted, on the calendar of IR-JUD-SEMNAN", scenario.Request.NewEvents[^1].ClockChanges);
        Assert.Equal("IR-JUD-SEMNAN", Projections.Of(scenario.Request, ShippedData.Set).Clocks.Single(c => c.ClockId == acknowledgement.Id).ResponsibleAuthority);
    }

    private static DateTimeOffset Z(string instant) => DateTimeOffset.Parse(instant, System.Globalization.CultureInfo.InvariantCulture);
}
