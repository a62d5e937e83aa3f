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
}
